package dev.raceway.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.raceway.server.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [logging]} to Logback: the root level, and the logger name in each line when
 * {@code include_modules} is set. Chatty libraries stay at WARN unless the level is {@code trace}.
 */
public final class LoggingSetup {
    private LoggingSetup() {
    }

    public static void apply(LoggingSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding is in charge
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(settings.includeModules()
                ? "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger - %msg%n"
                : "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        Level level = Level.toLevel(settings.level(), Level.INFO);
        root.setLevel(level);
        if (level.isGreaterOrEqual(Level.DEBUG) && !level.equals(Level.TRACE)) {
            for (String noisy : new String[] {"io.netty", "com.zaxxer.hikari", "org.flywaydb", "org.postgresql",
                    "org.jdbi"}) {
                context.getLogger(noisy).setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
            }
        }
    }
}
