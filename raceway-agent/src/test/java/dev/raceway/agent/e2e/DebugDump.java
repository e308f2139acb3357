package dev.raceway.agent.e2e;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.RacewayConfig;

/** Temporary: runs one program and dumps its events. */
public final class DebugDump {
    public static void main(String[] args) throws Exception {
        RacewayConfig d = RacewayConfig.defaults();
        RacewayServer server = RacewayServer.start(d.withServer(d.server().withPort(0)).withDurableAck(true));
        System.setProperty("x", "");
        java.lang.reflect.Field f = AgentProgramsIT.class.getDeclaredField("server");
        f.setAccessible(true);
        f.set(null, server);
        AgentProgramsIT.Run run = AgentProgramsIT.run(args);
        System.out.println(run.stdout() + run.stderr());
        server.store().forEachTraceWithStateChanges(events -> events.forEach(e -> System.out.println(
                e.metadata().threadId() + " " + e.kind() + " " + e.causalityVector())));
        server.close();
    }
}
