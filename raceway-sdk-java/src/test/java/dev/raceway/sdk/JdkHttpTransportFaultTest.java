package dev.raceway.sdk;

import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.JdkHttpTransport;

class JdkHttpTransportFaultTest extends TransportFaultTest {
    @Override
    EventTransport.Factory transport() {
        return JdkHttpTransport.factory();
    }
}
