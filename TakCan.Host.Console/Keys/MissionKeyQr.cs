using QRCoder;
using StbImageSharp;
using TakCan.Protocols.Mesh.Keys;
using ZXing;
using ZXing.Common;

namespace TakCan.Host.Console.Keys;

/// <summary>
/// A mission key URI as a QR code: made as a PNG with QRCoder, read back from a PNG or JPEG (a screenshot,
/// a phone photo of a screen) with StbImageSharp and ZXing.Net.
/// </summary>
public static class MissionKeyQr
{
    /// <summary>Larger images are refused before decoding: 50 megapixels covers any phone camera.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>
    /// A PNG of <paramref name="uri"/>. ECC level Q survives a quarter of the code damaged or glared on a screen,
    /// and the URI is short enough (~130 characters) for that to stay a small code.
    /// </summary>
    public static byte[] ToPng(string uri, int pixelsPerModule = 10)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>The mission key in a QR image, validated as <see cref="MissionKeyUri.Parse"/> does.</summary>
    public static MissionKey ReadKey(ReadOnlySpan<byte> image, DateTime now)
    {
        var text = ReadText(image);
        if (!MissionKeyUri.LooksLikeUri(text))
            throw new MissionKeyException("the QR code in the image is not a TAK Can mission key (it holds other text)");
        return MissionKeyUri.Parse(text, now);
    }

    /// <summary>The text of the QR code in a PNG or JPEG image.</summary>
    public static string ReadText(ReadOnlySpan<byte> image)
    {
        var pixels = Decode(image);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions
            {
                PossibleFormats = [BarcodeFormat.QR_CODE],
                TryHarder = true,
            },
        };
        var result = reader.Decode(new RGBLuminanceSource(pixels.Grey, pixels.Width, pixels.Height, RGBLuminanceSource.BitmapFormat.Gray8));
        return result?.Text ?? throw new MissionKeyException("no QR code found in the image; photograph the code straight on, filling most of the picture");
    }

    private static (byte[] Grey, int Width, int Height) Decode(ReadOnlySpan<byte> image)
    {
        ImageResult decoded;
        try
        {
            using var stream = new MemoryStream(image.ToArray(), writable: false);
            var info = ImageInfo.FromStream(stream)
                       ?? throw new MissionKeyException("the image is not a PNG or JPEG picture");
            if ((long)info.Width * info.Height > MaxPixels)
                throw new MissionKeyException($"the image is {info.Width}x{info.Height} pixels, more than {MaxPixels / 1_000_000} megapixels; crop it to the QR code");
            stream.Position = 0;
            decoded = ImageResult.FromStream(stream, ColorComponents.RedGreenBlueAlpha);
        }
        catch (Exception e) when (e is not MissionKeyException)
        {
            throw new MissionKeyException($"the image could not be read as a PNG or JPEG picture ({e.Message})", e);
        }

        // Transparent pixels count as white paper, the way a viewer shows them.
        var rgba = decoded.Data;
        var grey = new byte[decoded.Width * decoded.Height];
        for (var i = 0; i < grey.Length; i++)
        {
            var p = i * 4;
            var luma = (rgba[p] * 299 + rgba[p + 1] * 587 + rgba[p + 2] * 114) / 1000;
            var alpha = rgba[p + 3];
            grey[i] = (byte)((luma * alpha + 255 * (255 - alpha)) / 255);
        }

        return (grey, decoded.Width, decoded.Height);
    }
}
