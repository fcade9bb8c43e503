package io.webpipe.index;

/** One versioned index behind an alias: {@code web-pages_v2}, its document count and whether the alias points at it. */
public record IndexVersion(String name, int version, String index, long docs, boolean aliased, boolean writeIndex) {}
