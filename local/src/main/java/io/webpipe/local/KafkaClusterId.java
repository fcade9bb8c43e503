package io.webpipe.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.Uuid;

/**
 * The id every node of a cluster formats its storage with, kept in a file the nodes share: the first node to start
 * creates it, the others (started at the same moment, or later) read it.
 */
final class KafkaClusterId {

    private KafkaClusterId() {}

    static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Written whole under a name of its own, then linked in: the link is atomic and fails if another node won.
            Path candidate = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(candidate, Uuid.randomUuid().toString(), StandardCharsets.UTF_8);
            try {
                Files.createLink(file, candidate);
            } catch (FileAlreadyExistsException anotherNodeWasFirst) {
                // read theirs below
            } finally {
                Files.delete(candidate);
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
