package io.webpipe.local.nori;

import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;

/** {@code nori}: the tokenizer, part-of-speech stop filter, reading form and lower case, as Lucene's KoreanAnalyzer. */
final class NoriAnalyzerProvider extends AbstractIndexAnalyzerProvider<KoreanAnalyzer> {

    private final KoreanAnalyzer analyzer;

    NoriAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(indexSettings, name, settings);
        this.analyzer = new KoreanAnalyzer(NoriSettings.userDictionary(env, settings), NoriSettings.decompoundMode(settings),
                NoriSettings.stopTags(env, settings), false);
    }

    @Override
    public KoreanAnalyzer get() {
        return analyzer;
    }
}
