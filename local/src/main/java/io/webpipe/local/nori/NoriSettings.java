package io.webpipe.local.nori;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.analysis.Analysis;

/** The settings of the official plugin, read the same way: one place for their names and defaults. */
final class NoriSettings {

    static final String DECOMPOUND_MODE = "decompound_mode";
    static final String USER_DICTIONARY = "user_dictionary";
    static final String USER_DICTIONARY_RULES = "user_dictionary_rules";
    static final String DISCARD_PUNCTUATION = "discard_punctuation";
    static final String STOPTAGS = "stoptags";

    private NoriSettings() {}

    static KoreanTokenizer.DecompoundMode decompoundMode(Settings settings) {
        String mode = settings.get(DECOMPOUND_MODE);
        if (mode == null) {
            return KoreanTokenizer.DEFAULT_DECOMPOUND;
        }
        try {
            return KoreanTokenizer.DecompoundMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown " + DECOMPOUND_MODE + " [" + mode + "]; use none, discard or mixed");
        }
    }

    /** Rules from a file under the config dir ({@code user_dictionary}) or inline ({@code user_dictionary_rules}). */
    static UserDictionary userDictionary(Environment env, Settings settings) {
        if (settings.get(USER_DICTIONARY) != null && settings.get(USER_DICTIONARY_RULES) != null) {
            throw new IllegalArgumentException("It is not allowed to use [" + USER_DICTIONARY + "] in conjunction with ["
                    + USER_DICTIONARY_RULES + "]");
        }
        List<String> rules = Analysis.getWordList(env, settings, USER_DICTIONARY, USER_DICTIONARY_RULES, true);
        if (rules == null || rules.isEmpty()) {
            return null;
        }
        try (StringReader reader = new StringReader(String.join("\n", rules))) {
            return UserDictionary.open(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to load the nori user dictionary", e);
        }
    }

    static boolean discardPunctuation(Settings settings) {
        return settings.getAsBoolean(DISCARD_PUNCTUATION, true);
    }

    static Set<POS.Tag> stopTags(Environment env, Settings settings) {
        List<String> tags = Analysis.getWordList(env, settings, STOPTAGS);
        if (tags == null) {
            return KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS;
        }
        return tags.stream().map(POS::resolveTag).collect(Collectors.toUnmodifiableSet());
    }
}
