using System.Globalization;
using System.Numerics;

namespace Seq2Seq.Text;

/// <summary>
/// Python's <c>f"{x:.Nf}"</c>: the exact binary value of the double rounded to N decimals, halves to even. (.NET's
/// "F" format rounds exact halves away from zero, so 0.125 would print as 0.13 where sacreBLEU prints 0.12.)
/// </summary>
public static class PythonFloatFormat
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="digits"/> decimals as Python does.</summary>
    public static string Fixed(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);

        bool negative = value < 0 || (value == 0 && double.IsNegative(value));
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = exponent == 0 ? fraction : fraction | (1L << 52);
        int power = (exponent == 0 ? 1 : exponent) - 1075; // value = mantissa * 2^power

        // scaled = value * 10^digits, rounded half to even.
        BigInteger numerator = mantissa * BigInteger.Pow(10, digits);
        BigInteger denominator = BigInteger.One;
        if (power >= 0) numerator <<= power;
        else denominator <<= -power;
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        int half = (remainder * 2).CompareTo(denominator);
        if (half > 0 || (half == 0 && !quotient.IsEven)) quotient += 1;

        var text = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        if (digits > 0) text = text[..^digits] + "." + text[^digits..];
        return negative ? "-" + text : text;
    }
}
