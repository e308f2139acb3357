package dev.raceway.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The {@code -javaagent} entry point. It never lets a problem reach the application: a bad setting or a failed
 * installation is one line on stderr and the program runs uninstrumented.
 */
public final class RacewayAgent {
    /** The classes instrumented JDK code calls; they must be defined by the bootstrap class loader. */
    private static final String[] BOOTSTRAP_CLASSES = {
        "dev/raceway/agent/bootstrap/Bridge", "dev/raceway/agent/bootstrap/Sink",
        "dev/raceway/agent/bootstrap/FieldState", "dev/raceway/agent/bootstrap/Bridge$Opened",
    };

    private RacewayAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(inst);
    }

    private static void start(Instrumentation inst) {
        AgentSettings settings;
        try {
            settings = AgentSettings.fromSystem();
        } catch (AgentSettings.InvalidSetting e) {
            System.err.println("raceway-agent: " + e.getMessage() + "; the application runs uninstrumented");
            return;
        }
        try {
            injectBootstrapClasses(inst);
            Agent.start(settings, inst);
        } catch (Throwable t) {
            System.err.println("raceway-agent: could not install (" + t + "); the application runs uninstrumented");
        }
    }

    /** Writes the bridge classes into a temporary jar and appends it to the bootstrap class path. */
    private static void injectBootstrapClasses(Instrumentation inst) throws IOException {
        File jar = Files.createTempFile("raceway-agent-bootstrap", ".jar").toFile();
        jar.deleteOnExit();
        ClassLoader own = RacewayAgent.class.getClassLoader();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
            for (String name : BOOTSTRAP_CLASSES) {
                out.putNextEntry(new JarEntry(name + ".class"));
                try (InputStream in = own.getResourceAsStream(name + ".class")) {
                    if (in == null) {
                        throw new IOException("agent jar lacks " + name);
                    }
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        if (dev.raceway.agent.bootstrap.Bridge.class.getClassLoader() != null) {
            throw new IllegalStateException("the bridge was loaded before it reached the bootstrap class path");
        }
    }
}
