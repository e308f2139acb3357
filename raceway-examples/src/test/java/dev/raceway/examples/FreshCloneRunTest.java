package dev.raceway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An example's one command ({@code raceway-examples/run NAME}) works on a machine that never built the project: the
 * sources are copied without any build output into a new directory, and Maven runs with a local repository that holds
 * the third-party artifacts of the current one but no {@code dev.raceway} artifact (nothing installed, no test-jar).
 * The {@code embedded} example is run because it needs no server and ends by itself; the build and classpath steps
 * are the same for every example.
 */
class FreshCloneRunTest {
    /** Directories a fresh clone does not have, or that the examples' build does not need. */
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "test", "docs", "node_modules");

    @Test
    void embeddedExampleRunsFromSourcesWithoutAnyRacewayArtifactInstalled(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("raceway.projectRoot", "..")).toAbsolutePath().normalize();
        Path userRepo = Path.of(System.getProperty("raceway.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        Path clone = tmp.resolve("clone");
        Path repo = tmp.resolve("repository");
        copySources(root, clone);
        seedThirdPartyArtifacts(userRepo, repo);

        String mavenArgs = "-Dmaven.repo.local=" + repo
                + (System.getProperty("raceway.offline", "").equals("offline=true") ? " -o" : "");
        Path log = tmp.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder("bash", clone.resolve("raceway-examples/run").toString(), "embedded")
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MAVEN_ARGS", mavenArgs);
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("run did not end within 5 minutes:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("run embedded failed:%n%s", output).isZero();
        assertThat(output).contains("Between traces");
        try (var raceway = Files.list(repo.resolve("dev"))) {
            assertThat(raceway.map(Path::getFileName).map(Path::toString).toList())
                    .as("the run resolved our modules from the reactor, not from the local repository")
                    .doesNotContain("raceway");
        } catch (java.nio.file.NoSuchFileException absent) {
            // no dev/ directory at all: nothing of ours was put in the repository
        }
    }

    /** Copies what {@code git clone} would give, less tests, docs and build output. */
    private static void copySources(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Seeds the new repository with every artifact of the user's except {@code dev/raceway}: jars and poms are
     * hard-linked (Maven never rewrites them), the small bookkeeping files Maven does rewrite are copied, so the
     * user's repository is never modified.
     */
    private static void seedThirdPartyArtifacts(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return; // Maven downloads everything then
        }
        Path ours = from.resolve("dev/raceway");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(ours)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                String name = file.getFileName().toString();
                if (name.endsWith(".jar") || name.endsWith(".pom")) {
                    try {
                        Files.createLink(target, file);
                        return FileVisitResult.CONTINUE;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy
                    }
                }
                Files.copy(file, target);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
