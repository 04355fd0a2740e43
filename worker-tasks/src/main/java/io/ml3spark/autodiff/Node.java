package io.ml3spark.autodiff;

/** The op that produced a tensor: its name, its inputs and its backward rule. */
record Node(String op, Tensor[] inputs, BackwardRule rule) {
}
