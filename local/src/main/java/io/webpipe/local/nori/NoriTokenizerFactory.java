package io.webpipe.local.nori;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/** {@code nori_tokenizer}: settings {@code decompound_mode}, {@code user_dictionary[_rules]}, {@code discard_punctuation}. */
final class NoriTokenizerFactory extends AbstractTokenizerFactory {

    private final UserDictionary userDictionary;
    private final KoreanTokenizer.DecompoundMode decompoundMode;
    private final boolean discardPunctuation;

    NoriTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(indexSettings, settings, name);
        this.decompoundMode = NoriSettings.decompoundMode(settings);
        this.userDictionary = NoriSettings.userDictionary(env, settings);
        this.discardPunctuation = NoriSettings.discardPunctuation(settings);
    }

    @Override
    public Tokenizer create() {
        return new KoreanTokenizer(KoreanTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, userDictionary, decompoundMode, false,
                discardPunctuation);
    }
}
