using JiebaNet.Segmenter;

namespace Seq2Seq.Data;

/// <summary>
/// The one jieba segmenter of the process. Its dictionary (copied beside the assembly into <c>jieba/</c> by the build)
/// is found without configuration. jieba keeps one dictionary per process, so a user dictionary, once loaded,
/// applies to every jieba tokeniser in the process; each file is loaded once.
/// </summary>
static class JiebaResources
{
    static readonly Lock Gate = new();
    static readonly HashSet<string> LoadedUserDicts = new(StringComparer.Ordinal);
    static JiebaSegmenter? segmenter;

    /// <summary>The folder holding <c>dict.txt</c> and the HMM tables.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "jieba");

    /// <summary>Segments <paramref name="text"/> in accurate mode, with or without the HMM for unknown words.</summary>
    public static List<string> Cut(string text, bool hmm)
    {
        lock (Gate) return Segmenter().Cut(text, cutAll: false, hmm: hmm).ToList();
    }

    /// <summary>Adds the words of a jieba user dictionary (<c>word [frequency] [tag]</c> per line), once per file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static void LoadUserDict(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{path}: jieba user dictionary not found", path);
        lock (Gate)
        {
            if (LoadedUserDicts.Add(full)) Segmenter().LoadUserDict(full);
        }
    }

    static JiebaSegmenter Segmenter()
    {
        if (segmenter is not null) return segmenter;
        if (!File.Exists(Path.Combine(Folder, "dict.txt")))
            throw new FileNotFoundException($"{Folder}: jieba dictionary (dict.txt) missing; it is copied there by the build", Path.Combine(Folder, "dict.txt"));
        ConfigManager.ConfigFileBaseDir = Folder;
        return segmenter = new JiebaSegmenter();
    }
}
