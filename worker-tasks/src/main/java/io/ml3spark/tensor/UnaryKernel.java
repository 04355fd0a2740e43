package io.ml3spark.tensor;

/** Elementwise kernels of one operand. {@code p} is the parameter where a kernel has one. */
public enum UnaryKernel {
    NEG, EXP, LOG, SQRT, ABS,
    /** -1, 0 or 1. */
    SIGN,
    SIN, COS, TANH, SIGMOID, RELU,
    /** 1 where x &gt; 0, else 0. */
    STEP,
    /** x for x &gt; 0, p (exp(x) - 1) otherwise. */
    ELU,
    /** log(1 + exp(x)), computed without overflow. */
    SOFTPLUS,
    /** x to the power p. */
    POW,
    /** 1 where x &gt;= p, else 0. */
    GE_SCALAR,
    /** 1 where x &lt;= p, else 0. */
    LE_SCALAR;

    /** The scalar reference semantics every backend must reproduce. */
    public double apply(double x, double p) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> x > 0 ? x : 0.0;
            case STEP -> x > 0 ? 1.0 : 0.0;
            case ELU -> x > 0 ? x : p * Math.expm1(x);
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case POW -> p == 2.0 ? x * x : Math.pow(x, p);
            case GE_SCALAR -> x >= p ? 1.0 : 0.0;
            case LE_SCALAR -> x <= p ? 1.0 : 0.0;
        };
    }
}
