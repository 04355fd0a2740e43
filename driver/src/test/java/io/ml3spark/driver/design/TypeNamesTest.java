package io.ml3spark.driver.design;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every top-level type of either module, main or test, has a name of its own: one concept, one name. */
class TypeNamesTest {

    @Test
    void noTwoSourceFilesDeclareTypesOfTheSameName() throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Path root : List.of(Path.of("../worker-tasks/src"), Path.of("src"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .forEach(f -> byName.computeIfAbsent(f.getFileName().toString().replace(".java", ""),
                                k -> new java.util.ArrayList<>()).add(f.toString()));
            }
        }
        Map<String, List<String>> shared = byName.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), shared, "types that share a name");
    }
}
