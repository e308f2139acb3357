package dev.raceway.sdk;

import dev.raceway.sdk.okhttp.OkHttpTransport;
import dev.raceway.sdk.transport.EventTransport;

class OkHttpTransportFaultTest extends TransportFaultTest {
    @Override
    EventTransport.Factory transport() {
        return OkHttpTransport.factory();
    }
}
