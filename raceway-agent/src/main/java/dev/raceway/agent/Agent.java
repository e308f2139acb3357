package dev.raceway.agent;

import dev.raceway.agent.bootstrap.Bridge;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayClientBuilder;
import dev.raceway.sdk.RacewayStats;
import java.lang.instrument.Instrumentation;
import java.time.Duration;

/** Wires the agent together once the bridge is on the bootstrap class path. */
final class Agent {
    private Agent() {
    }

    static void start(AgentSettings settings, Instrumentation inst) {
        RacewayClientBuilder cb = RacewayClient.builder(settings.endpoint(), settings.serviceName())
                .module("agent")
                .queueCapacity(settings.queueCapacity())
                .flushInterval(Duration.ofMillis(200))
                .captureLocation(false)
                .tag("instrumentation", "raceway-agent");
        settings.apiKey().ifPresent(cb::apiKey);
        RacewayClient client = cb.build();
        Sites sites = new Sites(settings.siteLimit());
        Recorder recorder = new Recorder(settings, client, sites);
        Installer installer = new Installer(settings, sites);
        // Load what the recorder needs on its first event now, before the JDK classes it uses are instrumented.
        client.stats();
        installer.install(inst);
        Bridge.install(recorder);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Bridge.install(null);
            client.close();
            RacewayStats s = client.stats();
            if (settings.debug() || installer.skipped.sum() > 0 || s.dropped() > 0 || Bridge.failures() > 0) {
                System.err.println("raceway-agent: " + installer.transformed.sum() + " classes instrumented, "
                        + installer.skipped.sum() + " skipped; " + recorder.fieldEvents.sum() + " field events, "
                        + recorder.rateCapped.sum() + " over the per-site limit, " + recorder.sampledOut.sum()
                        + " sampled out; " + s.sent() + " events sent, " + s.dropped() + " dropped (queue full), "
                        + s.failed() + " failed; " + Bridge.failures() + " hook errors");
            }
        }, "raceway-agent-shutdown"));
    }
}
