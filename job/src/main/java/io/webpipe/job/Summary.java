package io.webpipe.job;

/**
 * A window's incremental state: elements are added one by one as they arrive, and merged windows merge their
 * summaries; either way, in any order, gives the same summary.
 *
 * @param <T> the elements
 * @param <S> the summary type itself
 */
public interface Summary<T, S extends Summary<T, S>> {
    S add(T element);

    S merge(S other);
}
