package io.ml3spark.driver.design;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No package of either module depends, through any chain, on itself: every project type a
 * source file names (by import or in full) counts. Dependencies must point one way
 * (docs/design.md); a new cycle fails this test, naming its packages.
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A project type named in full: the package is the lower-case segments before the first upper-case one. */
    private static final Pattern TYPE = Pattern.compile("\\bio\\.ml3spark((?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");

    /** Comments (a type a comment names is no dependency, as for jdeps), or a string literal, which stays. */
    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "//[^\\n]*|/\\*(?s:.*?)\\*/|(\"(?:\\\\.|[^\"\\\\])*\")");

    private static String withoutComments(String source) {
        return COMMENT_OR_STRING.matcher(source).replaceAll(m -> m.group(1) != null
                ? Matcher.quoteReplacement(m.group(1)) : " ");
    }

    /** Package to the project packages its sources name outside comments. */
    static Map<String, Set<String>> dependencies(Map<String, String> sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        sources.forEach((file, source) -> {
            String text = withoutComments(source);
            Matcher p = PACKAGE.matcher(text);
            if (!p.find()) {
                return;
            }
            String own = p.group(1);
            Set<String> uses = graph.computeIfAbsent(own, k -> new TreeSet<>());
            Matcher t = TYPE.matcher(text);
            while (t.find()) {
                String used = "io.ml3spark" + t.group(1);
                if (!used.equals(own)) {
                    uses.add(used);
                }
            }
        });
        return graph;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, graph, index, low, stack, onStack, found, next);
            }
        }
        return found;
    }

    private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<List<String>> found, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, graph, index, low, stack, onStack, found, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                found.add(component);
            }
        }
    }

    private static Map<String, String> sourcesUnder(Path root) {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(f.toString(), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    @Test
    void theScanFindsACycleThroughAFullyQualifiedName() {
        Map<String, String> sources = Map.of(
                "A.java", "package io.ml3spark.a;\nimport io.ml3spark.b.B;\nclass A { B b; }",
                "B.java", "package io.ml3spark.b;\n/** not {@link io.ml3spark.d.D} */\nclass B { io.ml3spark.c.C c; }",
                "C.java", "package io.ml3spark.c;\nimport static io.ml3spark.a.A.helper;\nclass C { }",
                "D.java", "package io.ml3spark.d;\nimport io.ml3spark.a.A;\nclass D { String s = \"// io.ml3spark.x\"; }");
        assertEquals(List.of(List.of("io.ml3spark.a", "io.ml3spark.b", "io.ml3spark.c")), cycles(dependencies(sources)));
    }

    @Test
    void neitherModuleHasAPackageCycle() {
        for (Path module : List.of(Path.of("../worker-tasks/src/main/java"), Path.of("src/main/java"))) {
            Map<String, Set<String>> graph = dependencies(sourcesUnder(module));
            assertEquals(List.of(), cycles(graph), module + ": packages that depend on each other");
        }
    }
}
