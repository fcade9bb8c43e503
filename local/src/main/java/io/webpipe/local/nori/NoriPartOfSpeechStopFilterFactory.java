package io.webpipe.local.nori;

import java.util.Set;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.POS;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

/** {@code nori_part_of_speech}: drops tokens whose part of speech is in {@code stoptags} (Lucene's default set). */
final class NoriPartOfSpeechStopFilterFactory extends AbstractTokenFilterFactory {

    private final Set<POS.Tag> stopTags;

    NoriPartOfSpeechStopFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(indexSettings, name, settings);
        this.stopTags = NoriSettings.stopTags(env, settings);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new KoreanPartOfSpeechStopFilter(tokenStream, stopTags);
    }
}
