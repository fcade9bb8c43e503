package io.webpipe.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Initial consonants ("chosung") of Hangul syllables, for searching titles by the consonants a
 * user types ({@code ㄴㅇㅋ} for {@code 나이키}).
 *
 * <p>A precomposed syllable is {@code 0xAC00 + (initial * 21 + medial) * 28 + final}; its initial is
 * one of 19 consonants, written here as Hangul Compatibility Jamo (the characters a Korean keyboard
 * types). {@link #mappingRules()} turns every syllable into its initial for the {@code mapping}
 * char filter of {@code web-pages.template.json}: plain Elasticsearch settings, generated here so
 * the 11,172 rules have one source.
 */
public final class Chosung {
    public static final char FIRST_SYLLABLE = '\uAC00';
    public static final char LAST_SYLLABLE = '\uD7A3';
    private static final int SYLLABLES_PER_INITIAL = 21 * 28;
    /** The 19 initials in Unicode order, as compatibility jamo. */
    private static final String INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

    private Chosung() {}

    public static boolean isSyllable(char c) {
        return c >= FIRST_SYLLABLE && c <= LAST_SYLLABLE;
    }

    /** True for one of the 19 initial consonants (compatibility jamo), as typed on a keyboard. */
    public static boolean isInitial(char c) {
        return INITIALS.indexOf(c) >= 0;
    }

    public static char initialOf(char syllable) {
        return INITIALS.charAt((syllable - FIRST_SYLLABLE) / SYLLABLES_PER_INITIAL);
    }

    /** The text with every syllable replaced by its initial consonant; other characters unchanged. */
    public static String of(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(isSyllable(c) ? initialOf(c) : c);
        }
        return out.toString();
    }

    /** {@code "가=>ㄱ"}, ... for all 11,172 syllables: the rules of the {@code chosung} mapping char filter. */
    public static List<String> mappingRules() {
        List<String> rules = new ArrayList<>(LAST_SYLLABLE - FIRST_SYLLABLE + 1);
        for (char c = FIRST_SYLLABLE; c <= LAST_SYLLABLE; c++) {
            rules.add(c + "=>" + initialOf(c));
        }
        return rules;
    }
}
