package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Checks that a server listens on 127.0.0.1 only: the whole 127/8 block reaches the loopback interface, so a socket
 * bound to every interface (0.0.0.0) also answers on 127.0.0.2, and one bound to 127.0.0.1 refuses it.
 */
final class Loopback {

    private Loopback() {
    }

    static void assertLoopbackOnly(String what, int port) {
        assertTrue(accepts("127.0.0.1", port), what + " is not listening on 127.0.0.1:" + port);
        assertFalse(accepts("127.0.0.2", port), what + " also listens beyond 127.0.0.1 (answered on 127.0.0.2:" + port
                + ")");
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
