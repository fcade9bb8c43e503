package io.webpipe.local.nori;

import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Korean analysis for the embedded Elasticsearch, under the names and settings of the official
 * {@code analysis-nori} plugin (which is not on Maven Central), so index settings written for a production node
 * with that plugin work here unchanged: tokenizer {@code nori_tokenizer}, token filters
 * {@code nori_part_of_speech}, {@code nori_readingform} and {@code nori_number}, analyzer {@code nori}.
 */
public class NoriAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("nori_tokenizer", NoriTokenizerFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "nori_part_of_speech", NoriPartOfSpeechStopFilterFactory::new,
                "nori_readingform", NoriReadingFormFilterFactory::new,
                "nori_number", NoriNumberFilterFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("nori", NoriAnalyzerProvider::new);
    }
}
