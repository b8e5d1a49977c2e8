namespace Seq2Seq.Training;

/// <summary>What one update did.</summary>
/// <param name="Loss">The global batch's mean loss per target token (summed over the ranks).</param>
/// <param name="GradNorm">The gradients' L2 norm before clipping.</param>
/// <param name="Tokens">The global batch's target tokens.</param>
/// <param name="Taken">False when the loss or the gradient was not finite and the update was skipped.</param>
/// <param name="Wait">Time spent waiting for the other ranks (zero in one process).</param>
/// <param name="Reduce">Time spent summing the gradients over the ranks (zero in one process).</param>
public sealed record TrainStepResult(float Loss, double GradNorm, int Tokens, bool Taken, TimeSpan Wait, TimeSpan Reduce);
