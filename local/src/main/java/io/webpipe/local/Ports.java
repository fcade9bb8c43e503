package io.webpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free local ports for servers that need their port fixed before they start. */
final class Ports {

    private Ports() {}

    /** {@code requested} itself, or a currently free ephemeral port when it is 0. */
    static int orFree(int requested) {
        if (requested < 0 || requested > 65535) {
            throw new IllegalArgumentException("Not a port: " + requested);
        }
        return requested != 0 ? requested : free();
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }
}
