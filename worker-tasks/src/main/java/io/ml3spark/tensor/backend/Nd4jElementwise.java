package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.UnaryKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The elementwise kernels of the {@link Nd4jBackend}, each one or a few ND4J ops on
 * non-empty arrays. Where ND4J M2.1 differs from {@link UnaryKernel#apply} and
 * {@link BinaryKernel#apply} (measured; NaN inputs are outside the agreement tests):
 * <ul>
 *   <li>ND4J's softplus is {@code log(1 + exp(x))} and overflows to infinity above x = 709,
 *       so SOFTPLUS is composed as {@code relu(x) + softplus(-|x|)}.</li>
 *   <li>ND4J computes tanh, ELU, expm1 and log1p through {@code exp(x) - 1} and
 *       {@code log(1 + x)}: near 0 they are accurate to about 1e-16 in absolute terms, not
 *       relative ones (tanh(1e-10) is off by 8e-8 relatively). No ND4J op does better.</li>
 *   <li>NaN: ND4J's relu and sign map NaN to NaN and 0, and maximum/minimum return the
 *       other operand, where Java gives 0, NaN and NaN.</li>
 * </ul>
 * Binary ops are ND4J's broadcastable custom ops, which (unlike {@code INDArray.add}) accept
 * operands that both stretch, given an output of the broadcast shape. Their shape check
 * rejects {@code [n]} against {@code [1, 1]}, so operands are first viewed at the output's rank.
 */
final class Nd4jElementwise {
    private Nd4jElementwise() {
    }

    static INDArray unary(UnaryKernel kernel, INDArray x, double p) {
        return switch (kernel) {
            case NEG -> x.neg();
            case EXP -> Transforms.exp(x, true);
            case LOG -> Transforms.log(x, true);
            case SQRT -> Transforms.sqrt(x, true);
            case ABS -> Transforms.abs(x, true);
            case SIGN -> Transforms.sign(x, true);
            case SIN -> Transforms.sin(x, true);
            case COS -> Transforms.cos(x, true);
            case TANH -> Transforms.tanh(x, true);
            case SIGMOID -> Transforms.sigmoid(x, true);
            case RELU -> Transforms.relu(x, true);
            case STEP -> Transforms.step(x, true);
            case ELU -> Nd4j.exec(new ELU(x, Nd4jArrays.uninitialized(x.dataType(), x.shape()), p))[0];
            case SOFTPLUS -> softplus(x);
            case POW -> p == 2.0 ? x.mul(x) : Transforms.pow(x, p, true);
            case GE_SCALAR -> x.gte(p).castTo(x.dataType());
            case LE_SCALAR -> x.lte(p).castTo(x.dataType());
        };
    }

    /** max(x, 0) + log(1 + exp(-|x|)): the exponent is never positive, so nothing overflows. */
    private static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.abs(x, true).negi();
        Transforms.softPlus(tail, false);
        return tail.addi(Transforms.relu(x, true));
    }

    static INDArray binary(BinaryKernel kernel, INDArray x, INDArray y, long[] outDims) {
        if (kernel == BinaryKernel.WHERE_POSITIVE) {
            // x * (y > 0): two native calls where select would take four; an infinite x
            // under a zero mask gives NaN here and 0 on the JVM backend.
            return binary(BinaryKernel.MUL, x, binary(BinaryKernel.GT, y, Nd4j.scalar(y.dataType(), 0.0), y.shape()), outDims);
        }
        boolean comparison = kernel == BinaryKernel.GT;
        INDArray[] in = {Nd4jArrays.withRank(x, outDims.length), Nd4jArrays.withRank(y, outDims.length)};
        INDArray[] out = {Nd4j.createUninitialized(comparison ? DataType.BOOL : x.dataType(), outDims)};
        Nd4j.exec(switch (kernel) {
            case ADD -> new AddOp(in, out);
            case SUB -> new SubOp(in, out);
            case MUL -> new MulOp(in, out);
            case DIV -> new DivOp(in, out);
            case MAX -> new Max(in, out);
            case MIN -> new Min(in, out);
            case GT -> new GreaterThan(in, out);
            case WHERE_POSITIVE -> throw new AssertionError("handled above");
        });
        return comparison ? out[0].castTo(x.dataType()) : out[0];
    }

    /** ND4J's select takes a BOOL condition and operands of the output's shape, so all three are broadcast first. */
    static INDArray where(INDArray mask, INDArray x, INDArray y, long[] outDims) {
        INDArray[] in = {
            Nd4jArrays.broadcast(mask.neq(0.0), outDims),
            Nd4jArrays.broadcast(x, outDims),
            Nd4jArrays.broadcast(y, outDims)};
        INDArray[] out = {Nd4jArrays.uninitialized(x.dataType(), outDims)};
        Nd4j.exec(new Select(in, out));
        return out[0];
    }
}
