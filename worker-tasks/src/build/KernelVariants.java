import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float64 and float32 variants of the jvm backend's kernels from one source each:
 * every {@code *.java.template} under the template folder becomes two Java files, with
 * {@code $type$} ({@code double}/{@code float}), {@code $Type$} ({@code Double}/{@code Float}),
 * {@code $bits$} ({@code 64}/{@code 32}) and {@code $Name$} (empty/{@code Float}, inside type
 * names) replaced, as the JDK's own {@code X-Buffer.java.template} works. A file is rewritten
 * only where its text changed, so an unchanged build recompiles nothing.
 *
 * <p>Run by Maven (worker-tasks/pom.xml, generate-sources) as a single-file program:
 * {@code java KernelVariants.java TEMPLATE_DIR OUTPUT_DIR}.
 */
public final class KernelVariants {
    private static final List<Map<String, String>> VARIANTS = List.of(
            Map.of("$type$", "double", "$Type$", "Double", "$bits$", "64", "$Name$", ""),
            Map.of("$type$", "float", "$Type$", "Float", "$bits$", "32", "$Name$", "Float"));
    private static final Pattern TOKEN = Pattern.compile("\\$[A-Za-z]+\\$");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:public\\s+)?(?:final\\s+|abstract\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");
    private static final String SUFFIX = ".java.template";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java KernelVariants.java TEMPLATE_DIR OUTPUT_DIR");
        }
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(templates)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        int written = 0;
        for (Path template : files) {
            String text = Files.readString(template, StandardCharsets.UTF_8);
            Path folder = out.resolve(templates.relativize(template).getParent());
            for (Map<String, String> variant : VARIANTS) {
                String source = substitute(template, text, variant);
                Matcher type = TYPE.matcher(source);
                if (!type.find()) {
                    throw new IllegalStateException(template + ": no top-level type declaration");
                }
                Path target = folder.resolve(type.group(1) + ".java");
                String generated = "// Generated from " + template.getFileName() + " by worker-tasks/src/build/KernelVariants.java:"
                        + " edit the template.\n" + source;
                if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(generated)) {
                    Files.createDirectories(folder);
                    Files.writeString(target, generated, StandardCharsets.UTF_8);
                    written++;
                }
            }
        }
        System.out.println("[kernels] " + files.size() + " templates, " + 2 * files.size() + " variants, "
                + written + " rewritten in " + out);
    }

    private static String substitute(Path template, String text, Map<String, String> variant) {
        String s = text;
        for (Map.Entry<String, String> e : variant.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        Matcher left = TOKEN.matcher(s);
        if (left.find()) {
            throw new IllegalStateException(template + ": unknown token " + left.group());
        }
        return s;
    }
}
