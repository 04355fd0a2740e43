package io.ml3spark.tensor;

/** Elementwise kernels of two broadcast operands. */
public enum BinaryKernel {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** 1 where a &gt; b, else 0. */
    GT,
    /** a where b &gt; 0, else 0: the ReLU adjoint (gradient a, pre-activation b) in one pass. */
    WHERE_POSITIVE;

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1.0 : 0.0;
            case WHERE_POSITIVE -> b > 0 ? a : 0.0;
        };
    }
}
