package io.webpipe.api.pages;

import io.webpipe.api.http.ApiException;
import io.webpipe.schema.Chosung;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.Operator;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;

/**
 * A validated title query and how it is matched. The text only ever goes into match-query builders
 * on the {@code search_title_*} field aliases of {@code web-pages}, never into query syntax.
 */
public final class TitleQuery {
    /** Longest accepted query, in characters: longer input is refused before Elasticsearch sees it. */
    public static final int MAX_LENGTH = 100;

    /** Scores of the tiers of {@link Mode#AUTO}: a whole-title match outranks any prefix match, which outranks any morphological one. */
    static final float EXACT_SCORE = 100;
    static final float PREFIX_SCORE = 10;
    static final float MORPH_SCORE = 1;

    public enum Mode {
        AUTO, EXACT, PREFIX, CHOSUNG, MORPH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Map<String, Mode> byName() {
            return Arrays.stream(values()).collect(Collectors.toMap(Mode::label, Function.identity()));
        }
    }

    private final String text;
    private final Mode mode;

    private TitleQuery(String text, Mode mode) {
        this.text = text;
        this.mode = mode;
    }

    /**
     * Validates {@code text} (given as parameter {@code field}): required, at most {@link #MAX_LENGTH}
     * characters, no control characters, at least one letter or digit. {@code AUTO} is resolved here:
     * input made only of Hangul initial consonants, or of syllables mixed with them, is a chosung query.
     */
    public static TitleQuery of(String field, String text, Mode mode) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid(field, "'" + field + "' is required: the title text to search for");
        }
        String q = text.strip();
        if (q.codePointCount(0, q.length()) > MAX_LENGTH) {
            throw ApiException.invalid(field, "'" + field + "' is longer than " + MAX_LENGTH + " characters");
        }
        if (q.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, "'" + field + "' contains control characters");
        }
        if (q.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw ApiException.invalid(field, "'" + field + "' needs at least one letter or digit");
        }
        return new TitleQuery(q, mode == Mode.AUTO && isChosung(q) ? Mode.CHOSUNG : mode);
    }

    /** Only initial consonants and Hangul syllables (and spaces), with at least one consonant: {@code ㄴㅇㅋ}, {@code 나ㅇㅋ}. */
    static boolean isChosung(String q) {
        boolean consonant = false;
        for (char c : q.toCharArray()) {
            if (Chosung.isInitial(c)) {
                consonant = true;
            } else if (!Chosung.isSyllable(c) && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return consonant;
    }

    public String text() {
        return text;
    }

    /** The mode used: never {@code AUTO} for chosung input. */
    public Mode mode() {
        return mode;
    }

    QueryBuilder toQuery() {
        switch (mode) {
            case EXACT:
                return exact();
            case PREFIX:
                return prefix();
            case CHOSUNG:
                return QueryBuilders.matchQuery("search_title_chosung", text).operator(Operator.AND);
            case MORPH:
                return morph();
            default:
                BoolQueryBuilder tiers = QueryBuilders.boolQuery().minimumShouldMatch(1);
                tiers.should(QueryBuilders.constantScoreQuery(exact()).boost(EXACT_SCORE));
                tiers.should(QueryBuilders.constantScoreQuery(prefix()).boost(PREFIX_SCORE));
                tiers.should(QueryBuilders.constantScoreQuery(morph()).boost(MORPH_SCORE));
                return tiers;
        }
    }

    private QueryBuilder exact() {
        return QueryBuilders.matchQuery("search_title_exact", text);
    }

    private QueryBuilder prefix() {
        return QueryBuilders.matchQuery("search_title_ngram", text).operator(Operator.AND);
    }

    private QueryBuilder morph() {
        return QueryBuilders.matchQuery("search_title_nori", text).operator(Operator.AND);
    }
}
