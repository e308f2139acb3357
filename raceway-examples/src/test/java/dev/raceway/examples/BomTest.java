package dev.raceway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** raceway-bom pins every library this build publishes, at the build's version, and nothing else. */
class BomTest {
    /** Modules that are run, not depended on. */
    private static final Set<String> NOT_LIBRARIES = Set.of("raceway-examples", "raceway-benchmarks", "raceway-bom");

    private final Path root = Path.of(System.getProperty("raceway.projectRoot", "..")).toAbsolutePath().normalize();

    @Test
    void bomManagesEveryLibraryModuleAtTheBuildVersion() throws Exception {
        Document parent = read(root.resolve("pom.xml"));
        Document bom = read(root.resolve("raceway-bom/pom.xml"));
        String version = text(parent.getDocumentElement(), "version");

        List<String> libraries = new ArrayList<>();
        for (Element module : children(child(parent.getDocumentElement(), "modules"), "module")) {
            String name = module.getTextContent().trim();
            Document pom = read(root.resolve(name).resolve("pom.xml"));
            String packaging = text(pom.getDocumentElement(), "packaging");
            if (!NOT_LIBRARIES.contains(name) && (packaging == null || packaging.equals("jar"))) {
                libraries.add(text(pom.getDocumentElement(), "artifactId"));
            }
        }

        List<String> managed = new ArrayList<>();
        Element deps = child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies");
        for (Element dep : children(deps, "dependency")) {
            assertThat(text(dep, "groupId")).isEqualTo("dev.raceway");
            assertThat(text(dep, "version")).isEqualTo("${project.version}");
            managed.add(text(dep, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(libraries);
        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(child(bom.getDocumentElement(), "parent"))
                .as("a parent would make importers inherit the build's third-party pins").isNull();
    }

    private static Document read(Path pom) throws Exception {
        assertThat(pom).exists();
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
