using System.Diagnostics.Metrics;

namespace Seq2Seq.Decoding;

/// <summary>
/// How much decoder work the searches did, as .NET metrics (meter <see cref="MeterName"/>): the rows (greedy: one
/// per sentence; beam: k per sentence) computed at each step, summed over steps, and the same sum had every batch kept
/// its finished sentences until its last one ended. The two depend only on the outputs, not on the clock, so the
/// saving of removing finished sentences can be counted exactly. Beside them, the seconds the searches spend inside
/// the backend — encoding, decoder steps, selecting and reordering rows of the state — so that what is left of a
/// decoding's time is the search's own bookkeeping (and tokenising, batching, detokenising). Read by
/// <c>s2s translate --timing</c>, by any <see cref="MeterListener"/>, or by <c>dotnet-counters</c>. Adding to a
/// counter nobody listens to costs next to nothing.
/// </summary>
public static class DecodingWork
{
    public const string MeterName = "Seq2Seq.Decoding";
    static readonly Meter Meter = new(MeterName);

    /// <summary>Decoder rows stepped: per step, the rows still in the batch.</summary>
    public static readonly Counter<long> RowSteps = Meter.CreateCounter<long>("seq2seq.decoder.row_steps");

    /// <summary>The rows × steps of the same batches had no finished sentence left them: batch rows × steps taken.</summary>
    public static readonly Counter<long> FullBatchRowSteps = Meter.CreateCounter<long>("seq2seq.decoder.full_batch_row_steps");

    /// <summary>Seconds in the backend's <see cref="IDecodingBackend.Encode"/>.</summary>
    public static readonly Counter<double> EncodeSeconds = Meter.CreateCounter<double>("seq2seq.decoder.encode_seconds", "s");

    /// <summary>Seconds in the backend's <see cref="IDecodingBackend.Step"/> (the decoder graph or network, and the
    /// copy of each step's top-k to the host).</summary>
    public static readonly Counter<double> StepSeconds = Meter.CreateCounter<double>("seq2seq.decoder.step_seconds", "s");

    /// <summary>Seconds selecting and reordering rows of the state (<see cref="IDecodingState.SelectRows"/>, <see cref="IDecodingState.Reorder"/>).</summary>
    public static readonly Counter<double> SelectSeconds = Meter.CreateCounter<double>("seq2seq.decoder.select_seconds", "s");

    /// <summary>Runs <paramref name="work"/> and adds its wall seconds to <paramref name="seconds"/>.</summary>
    public static T Timed<T>(Counter<double> seconds, Func<T> work)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try { return work(); }
        finally { seconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds); }
    }

    /// <summary>
    /// Sums both counters over the decoding done on the thread that made it (the searches run on their caller's
    /// thread), until disposed.
    /// </summary>
    public sealed class Tally : IDisposable
    {
        readonly MeterListener listener = new();
        readonly int thread = Environment.CurrentManagedThreadId;
        long rowSteps, fullBatchRowSteps;
        double encode, step, select;

        public Tally()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MeterName) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (Environment.CurrentManagedThreadId != thread) return;
                if (ReferenceEquals(instrument, DecodingWork.RowSteps)) Interlocked.Add(ref rowSteps, value);
                else if (ReferenceEquals(instrument, DecodingWork.FullBatchRowSteps)) Interlocked.Add(ref fullBatchRowSteps, value);
            });
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (Environment.CurrentManagedThreadId != thread) return;
                if (ReferenceEquals(instrument, DecodingWork.EncodeSeconds)) encode += value;
                else if (ReferenceEquals(instrument, DecodingWork.StepSeconds)) step += value;
                else if (ReferenceEquals(instrument, DecodingWork.SelectSeconds)) select += value;
            });
            listener.Start();
        }

        /// <summary>Seconds in the backend's encode, step and row selection (this thread's decoding).</summary>
        public (double Encode, double Step, double Select) Seconds => (encode, step, select);

        public long RowSteps => Interlocked.Read(ref rowSteps);
        public long FullBatchRowSteps => Interlocked.Read(ref fullBatchRowSteps);

        public void Dispose() => listener.Dispose();
    }
}
