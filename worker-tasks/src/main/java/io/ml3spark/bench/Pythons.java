package io.ml3spark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The Python interpreters here that import given modules: {@code $ML3_PYTHON}, the {@code python3} on PATH, Debian's. */
public final class Pythons {
    private Pythons() {
    }

    /** Each distinct interpreter (by its {@code sys.executable}) that imports every one of {@code modules}, in the order above. */
    public static List<String> withModules(String... modules) {
        Set<String> candidates = new LinkedHashSet<>();
        String configured = System.getenv("ML3_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        Set<String> seen = new LinkedHashSet<>();
        List<String> found = new ArrayList<>();
        for (String python : candidates) {
            executable(python, modules).filter(seen::add).ifPresent(exe -> found.add(python));
        }
        return found;
    }

    /** {@code python}'s {@code sys.executable} if it runs and imports {@code modules}, else empty. */
    public static Optional<String> executable(String python, String... modules) {
        String imports = modules.length == 0 ? "" : "import " + String.join(", ", modules) + "; ";
        try {
            Process p = new ProcessBuilder(python, "-c", imports + "import sys; print(sys.executable)")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String exe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !exe.isEmpty() ? Optional.of(exe) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
