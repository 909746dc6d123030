using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Protocols.Tests.Mesh.Fragments;

public class FragmenterTests
{
    private const int Mtu = 480;
    private const int Room = Mtu - FragmentHeader.Size;

    [Fact]
    public void The_header_is_six_bytes_and_at_most_two_percent_of_a_BLE_MTU()
    {
        Assert.Equal(6, FragmentHeader.Size);
        Assert.Equal(0.0125, (double)FragmentHeader.Size / Mtu);
        Assert.True((double)FragmentHeader.Size / Mtu <= 0.02);
    }

    [Fact]
    public void The_header_is_kind_message_id_index_count_big_endian()
    {
        var bytes = new byte[FragmentHeader.Size];

        new FragmentHeader(FragmentHeader.DataKind, 0xABCDEF, 7, 43).Write(bytes);

        Assert.Equal([0x01, 0xAB, 0xCD, 0xEF, 7, 43], bytes);
        Assert.True(FragmentHeader.TryRead([.. bytes, 0x99], out var header));
        Assert.Equal(new FragmentHeader(FragmentHeader.DataKind, 0xABCDEF, 7, 43), header);
    }

    [Fact]
    public void Message_ids_are_24_bits_and_wrap()
    {
        var fragment = Assert.Single(Fragmenter.Split([1, 2, 3], 0x7A_BCDEF0, Mtu));

        Assert.True(FragmentHeader.TryRead(fragment, out var header));
        Assert.Equal(0xBCDEF0u, header.MessageId);
        Assert.Equal(0u, FragmentHeader.NextMessageId(0xFF_FFFF));
        Assert.Equal(0x10_0000u, FragmentHeader.NextMessageId(0x0F_FFFF));
    }

    public static TheoryData<byte[]> InvalidHeaders => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0x01, 0, 0, 1, 0 },
        new byte[] { 0x00, 0, 0, 1, 0, 1, 9 },
        new byte[] { 0x03, 0, 0, 1, 0, 1, 9 },
        new byte[] { 0xFF, 0, 0, 1, 0, 1, 9 },
        new byte[] { 0x01, 0, 0, 1, 0, 0, 9 },
        new byte[] { 0x01, 0, 0, 1, 1, 1, 9 },
        new byte[] { 0x01, 0, 0, 1, 9, 5, 9 },
        new byte[] { 0x01, 0, 0, 1, 255, 255, 9 },
        new byte[] { 0x01, 0, 0, 1, 0, 1 },
        new byte[] { 0x02, 0, 0, 1, 0, 0 },
        new byte[] { 0x02, 0, 0, 1, 0, 9, 0xFF },
        new byte[] { 0x02, 0, 0, 1, 0, 8, 0xFF, 0x00 },
    };

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public void Invalid_headers_are_refused(byte[] frame)
    {
        Assert.False(FragmentHeader.TryRead(frame, out _));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(Room - 1, 1)]
    [InlineData(Room, 1)]
    [InlineData(Room + 1, 2)]
    [InlineData(2 * Room, 2)]
    [InlineData(10 * Room, 10)]
    [InlineData(20_000, 43)]
    [InlineData(20 * 1024, 44)]
    [InlineData(255 * Room, 255)]
    public void Splits_into_the_fewest_fragments_that_fit_the_MTU(int size, int expectedCount)
    {
        var message = MeshTestKeys.RandomBytes(new Random(size), size);

        var fragments = Fragmenter.Split(message, 5, Mtu);

        Assert.Equal(expectedCount, fragments.Length);
        for (var i = 0; i < fragments.Length; i++)
        {
            Assert.InRange(fragments[i].Length, FragmentHeader.Size + 1, Mtu);
            Assert.True(FragmentHeader.TryRead(fragments[i], out var header));
            Assert.Equal(new FragmentHeader(FragmentHeader.DataKind, 5, (byte)i, (byte)expectedCount), header);
            if (i < fragments.Length - 1) Assert.Equal(Mtu, fragments[i].Length);
        }

        Assert.Equal(message, fragments.SelectMany(f => f.Skip(FragmentHeader.Size)).ToArray());
    }

    [Fact]
    public void A_message_needing_more_than_255_fragments_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Fragmenter.Split(new byte[255 * Room + 1], 1, Mtu));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void An_MTU_that_cannot_hold_the_header_and_a_byte_is_refused(int mtu)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fragmenter.Split([1], 1, mtu));
    }

    [Fact]
    public void The_largest_message_is_capped_by_255_fragments_and_by_reassembly()
    {
        Assert.Equal(64 * 1024, Fragmenter.MaxMessageSize(Mtu, 64 * 1024));
        Assert.Equal(255 * 94, Fragmenter.MaxMessageSize(100, 64 * 1024));
    }

    [Fact]
    public void A_NACK_is_a_bitmap_of_missing_indices_most_significant_bit_first()
    {
        var nack = Fragmenter.Nack(0x123456, 43, [0, 7, 8, 42]);

        Assert.Equal([0x02, 0x12, 0x34, 0x56, 0, 43, 0b1000_0001, 0b1000_0000, 0, 0, 0, 0b0010_0000], nack);
        Assert.True(FragmentHeader.TryRead(nack, out var header));
        Assert.Equal(FragmentHeader.NackKind, header.Kind);
        Assert.Equal([0, 7, 8, 42], Fragmenter.MissingIn(nack, header.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(255)]
    public void NACK_bitmaps_round_trip_for_any_count(int count)
    {
        var missing = Enumerable.Range(0, count).Where(i => i % 3 != 1).ToArray();

        var nack = Fragmenter.Nack(9, (byte)count, missing);

        Assert.True(FragmentHeader.TryRead(nack, out var header));
        Assert.Equal(missing, Fragmenter.MissingIn(nack, header.Count));
    }
}
