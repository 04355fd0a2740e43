package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.EngineTestBackends;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operands whose shapes an op cannot combine raise a {@link ShapeException} whose message
 * starts with the op's name and names the shapes involved.
 */
class ShapeErrorsTest {

    /** {@code action} builds variables of the given shapes on a backend and applies the op to them. */
    record BadShapes(String op, String what, List<int[]> shapes, Function<List<Tensor>, Tensor> action,
                     String... alsoMentioned) {
        @Override
        public String toString() {
            return op + ": " + what;
        }
    }

    static BadShapes bad(String op, String what, Function<List<Tensor>, Tensor> action, int[]... shapes) {
        return new BadShapes(op, what, List.of(shapes), action);
    }

    static Stream<Arguments> cases() {
        List<BadShapes> cases = List.of(
            bad("add", "trailing dimensions differ", xs -> xs.get(0).add(xs.get(1)), new int[] {2, 3}, new int[] {4}),
            bad("sub", "rows differ", xs -> xs.get(0).sub(xs.get(1)), new int[] {2, 3}, new int[] {3, 3}),
            bad("mul", "task batches differ", xs -> xs.get(0).mul(xs.get(1)), new int[] {2, 2, 3}, new int[] {3, 2, 3}),
            bad("div", "transposed", xs -> xs.get(0).div(xs.get(1)), new int[] {2, 3}, new int[] {3, 2}),
            bad("where", "operands differ", xs -> Tensor.where(xs.get(0).gt(0.0), xs.get(0), xs.get(1)),
                    new int[] {2, 3}, new int[] {2}),
            bad("matmul", "inner dimensions differ", xs -> xs.get(0).matmul(xs.get(1)), new int[] {2, 3}, new int[] {4, 2}),
            bad("matmul", "inner dimensions differ after transposing",
                    xs -> xs.get(0).matmul(true, xs.get(1), false), new int[] {2, 3}, new int[] {3, 2}),
            bad("matmul", "batch dimensions differ", xs -> xs.get(0).matmul(xs.get(1)),
                    new int[] {2, 2, 3}, new int[] {3, 3, 2}),
            bad("matmul", "rank 1 operand", xs -> xs.get(0).matmul(xs.get(1)), new int[] {3}, new int[] {3, 2}),
            bad("concat", "other dimensions differ", xs -> Tensor.concat(xs, 0), new int[] {2, 3}, new int[] {2, 4}),
            bad("concat", "ranks differ", xs -> Tensor.concat(xs, 0), new int[] {2, 3}, new int[] {3}),
            bad("stack", "shapes differ", xs -> Tensor.stack(xs, 0), new int[] {2, 3}, new int[] {3, 2}),
            new BadShapes("reshape", "sizes differ", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).reshape(4, 2), "[4, 2]"),
            new BadShapes("reshape", "inferred dimension does not divide", List.<int[]>of(new int[] {2, 3}),
                    xs -> xs.get(0).reshape(4, -1), "[4, -1]"),
            new BadShapes("slice", "end past the axis", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).slice(1, 1, 5), "[1, 5)"),
            new BadShapes("slice", "negative start", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).slice(0, -1, 1), "[-1, 1)"),
            new BadShapes("slice", "axis out of range", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).slice(2, 0, 1), "axis 2"),
            bad("concat", "axis out of range", xs -> Tensor.concat(xs, -3), new int[] {2, 3}, new int[] {2, 3}),
            new BadShapes("sum", "axis out of range", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).sum(false, 2), "axis 2"),
            new BadShapes("sum", "axis repeated", List.<int[]>of(new int[] {2, 3}), xs -> xs.get(0).sum(true, 0, -2), "repeated"),
            new BadShapes("sum", "mean over a repeated axis", List.<int[]>of(new int[] {2, 3}),
                    xs -> xs.get(0).mean(false, 1, 1), "repeated"),
            new BadShapes("sum", "sumTo a shape that does not broadcast", List.<int[]>of(new int[] {2, 3}),
                    xs -> xs.get(0).sumTo(Shape.of(2)), "[2]"),
            new BadShapes("broadcastTo", "to a smaller shape", List.<int[]>of(new int[] {2, 3}),
                    xs -> xs.get(0).broadcastTo(Shape.of(4, 3)), "[4, 3]"));
        return EngineTestBackends.all().flatMap(b -> cases.stream().map(c -> Arguments.of(Named.of(b.name(), b), c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void errorNamesTheOpAndTheShapes(Backend backend, BadShapes c) {
        List<Tensor> operands = c.shapes().stream()
                .map(dims -> Tensor.variable(backend.full(Shape.of(dims), 0.5)))
                .toList();
        ShapeException e = assertThrows(ShapeException.class, () -> c.action().apply(operands));
        assertMentions(e.getMessage(), c.op() + ":", c.shapes(), c.alsoMentioned());
    }

    /** The message starts with {@code prefix} and mentions every shape and every other string. */
    static void assertMentions(String message, String prefix, List<int[]> shapes, String... others) {
        assertTrue(message.startsWith(prefix), "'" + message + "' should start with '" + prefix + "'");
        for (int[] dims : shapes) {
            String shape = Shape.of(dims).toString();
            assertTrue(message.contains(shape), "'" + message + "' should name shape " + shape);
        }
        for (String other : others) {
            assertTrue(message.contains(other), "'" + message + "' should mention " + other);
        }
    }
}
