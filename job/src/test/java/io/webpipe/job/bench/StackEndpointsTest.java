package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackEndpointsTest {
    @Test
    void endpointsAndTheTaskManagerPidFileOfTheStackHome() {
        StackEndpoints stack = StackEndpoints.parse("--kafka", "127.0.0.1:19192", "--flink", "http://127.0.0.1:18081",
                "--elasticsearch", "http://127.0.0.1:19200", "--home", "/tmp/stack");
        assertThat(stack).isEqualTo(new StackEndpoints("127.0.0.1:19192", "http://127.0.0.1:18081", "http://127.0.0.1:19200", Path.of("/tmp/stack")));
        assertThat(stack.taskManagerPidFile()).isEqualTo(Path.of("/tmp/stack/run/taskmanager.pid"));
    }

    @Test
    void noDefaultPortsByAccident() {
        assertThatThrownBy(() -> StackEndpoints.parse("--kafka", "127.0.0.1:19192")).hasMessageContaining("--flink");
        assertThatThrownBy(() -> StackEndpoints.parse("--kafka")).hasMessageContaining("no value for --kafka");
    }
}
