package io.webpipe.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Flink 1.20's {@code config.yaml} (standard YAML, flattened keys), read and written with SnakeYAML. */
final class FlinkConfigFile {
    static final String NAME = "config.yaml";

    private FlinkConfigFile() {}

    /** The keys and values of {@code dir/config.yaml}, in file order. */
    static Map<String, Object> read(Path dir) {
        try (Reader in = Files.newBufferedReader(dir.resolve(NAME), StandardCharsets.UTF_8)) {
            Map<String, Object> config = new Yaml().load(in);
            return config == null ? new LinkedHashMap<>() : new LinkedHashMap<>(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code config} to {@code dir/config.yaml}, one key a line, under a {@code header} comment. */
    static void write(Path dir, String header, Map<String, Object> config) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // One line per key, like the source file (env.java.opts.all is long).
        options.setSplitLines(false);
        try (Writer out = Files.newBufferedWriter(dir.resolve(NAME), StandardCharsets.UTF_8)) {
            out.write("# " + header + "\n");
            new Yaml(options).dump(config, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
