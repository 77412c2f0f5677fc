package dev.seedloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The packaged services, started as the local stack starts them, listen on 127.0.0.1 only: every port of the
 * 127/8 block reaches the loopback interface, so a service listening on every interface answers on 127.0.0.2 too.
 */
class LoopbackOnlyIT {

    @Test
    void everyServiceAndManagementPortRefusesConnectionsBeyondLoopback() throws Exception {
        RunningStack stack = RunningStack.get();
        for (Map<String, Integer> ports : java.util.List.of(stack.ports, stack.managementPorts)) {
            ports.forEach((module, port) -> {
                assertThat(accepts("127.0.0.1", port)).as(module + " on 127.0.0.1:" + port).isTrue();
                assertThat(accepts("127.0.0.2", port)).as(module + " on 127.0.0.2:" + port).isFalse();
            });
        }
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
