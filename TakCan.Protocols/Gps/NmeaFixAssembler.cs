using System.Globalization;

namespace TakCan.Protocols.Gps;

/// <summary>
/// Turns NMEA 0183 lines into fixes, one per epoch: RMC (date, time, position, speed, course) and GGA (position,
/// fix quality, altitude, geoid separation) that carry the same time of day are merged. Works on a live line
/// stream as well as on a log: a fix is complete when its epoch has both sentences or the next epoch starts
/// (<see cref="Flush"/> ends the last one).
/// </summary>
/// <remarks>
/// Lines that are garbage, fail their checksum or carry malformed RMC/GGA fields are counted in
/// <see cref="Rejected"/> and skipped; other sentence types and sentences that report no fix are ignored. Nothing
/// a line contains makes this throw.
/// </remarks>
public sealed class NmeaFixAssembler
{
    private const double MetresPerSecondPerKnot = 1852.0 / 3600.0;

    private readonly int _maxLineLength;
    private Epoch? _pending;
    private DateOnly? _date;
    private TimeOnly? _lastTime;

    public NmeaFixAssembler(int maxLineLength = 256) => _maxLineLength = maxLineLength;

    public int Rejected { get; private set; }

    /// <summary>Feeds one line; returns the fix of an epoch that this line completed, if any.</summary>
    public LocationFix? Feed(ReadOnlySpan<char> line)
    {
        if (!NmeaSentence.TryParse(line, _maxLineLength, out var sentence))
        {
            if (!line.Trim().IsEmpty) Rejected++;
            return null;
        }

        Reading? reading;
        switch (sentence.Type)
        {
            case "RMC":
                reading = Rmc(sentence);
                break;
            case "GGA":
                reading = Gga(sentence);
                break;
            default:
                return null;
        }

        if (reading is null)
        {
            Rejected++;
            return null;
        }

        if (!reading.HasFix) return null;
        LocationFix? completed = null;
        if (_pending is { } pending && pending.Time != reading.Time)
        {
            completed = Complete(pending);
            _pending = null;
        }

        var epoch = _pending ??= new Epoch(reading.Time);
        if (epoch.Done) return completed;
        if (reading.IsRmc) epoch.Rmc = reading;
        else epoch.Gga = reading;
        // A new epoch holds one sentence, so only an epoch that was already pending can complete here.
        return epoch is { Rmc: not null, Gga: not null } ? Complete(epoch) : completed;
    }

    /// <summary>Completes the epoch in progress, at the end of a log.</summary>
    public LocationFix? Flush()
    {
        if (_pending is not { Done: false } pending) return null;
        _pending = null;
        return Complete(pending);
    }

    private LocationFix? Complete(Epoch epoch)
    {
        if (epoch.Done) return null;
        epoch.Done = true;
        var position = epoch.Rmc ?? epoch.Gga!;
        var date = epoch.Rmc?.Date ?? DateOfGgaOnly(epoch.Time);
        if (epoch.Rmc?.Date is { } known) _date = known;
        _lastTime = epoch.Time;
        if (date is not { } day) return null;
        double? hae = epoch.Gga?.Altitude is { } alt ? alt + (epoch.Gga.GeoidSeparation ?? 0) : null;
        return new LocationFix(
            day.ToDateTime(epoch.Time, DateTimeKind.Utc),
            position.Lat,
            position.Lon,
            hae,
            epoch.Rmc?.Course,
            epoch.Rmc?.Speed,
            null,
            LocationFix.Gps);
    }

    // GGA has no date: take the last RMC's, a day later when the time of day went backwards (midnight passed).
    private DateOnly? DateOfGgaOnly(TimeOnly time)
    {
        if (_date is not { } date) return null;
        if (_lastTime is { } last && time < last)
        {
            date = date.AddDays(1);
            _date = date;
        }

        return date;
    }

    private static Reading? Rmc(NmeaSentence s)
    {
        // $xxRMC,time,status,lat,N/S,lon,E/W,speed(knots),course,ddmmyy,magvar,E/W[,mode[,navstatus]]
        if (!TryTime(s.Field(0), out var time)) return null;
        var status = s.Field(1);
        var mode = s.Field(11);
        if (status is "V" || mode is "N") return new Reading(time, false, true);
        if (status is not "A") return null;
        if (!TryLatLon(s.Field(2), s.Field(3), s.Field(4), s.Field(5), out var lat, out var lon)) return null;
        if (!TryDate(s.Field(8), out var date)) return null;
        if (!TryOptional(s.Field(6), out var knots) || !TryOptional(s.Field(7), out var course)) return null;
        if (knots < 0 || course is < 0 or > 360) return null;
        return new Reading(time, true, true)
        {
            Lat = lat,
            Lon = lon,
            Date = date,
            Speed = knots * MetresPerSecondPerKnot,
            Course = course,
        };
    }

    private static Reading? Gga(NmeaSentence s)
    {
        // $xxGGA,time,lat,N/S,lon,E/W,quality,satellites,hdop,altitude,M,geoid separation,M,dgps age,dgps station
        if (!TryTime(s.Field(0), out var time)) return null;
        if (!int.TryParse(s.Field(5), NumberStyles.None, CultureInfo.InvariantCulture, out var quality)) return null;
        if (quality == 0) return new Reading(time, false, false);
        if (!TryLatLon(s.Field(1), s.Field(2), s.Field(3), s.Field(4), out var lat, out var lon)) return null;
        if (!TryOptional(s.Field(8), out var altitude) || !TryOptional(s.Field(10), out var separation)) return null;
        return new Reading(time, true, false) { Lat = lat, Lon = lon, Altitude = altitude, GeoidSeparation = separation };
    }

    private static bool TryTime(string text, out TimeOnly time)
    {
        time = default;
        // hhmmss or hhmmss.sss
        if (text.Length < 6 || text.AsSpan(0, 6).ContainsAnyExceptInRange('0', '9')) return false;
        var h = int.Parse(text.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var m = int.Parse(text.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var sec = int.Parse(text.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (h > 23 || m > 59 || sec > 59) return false;
        var ticks = 0L;
        if (text.Length > 6)
        {
            if (text[6] != '.' || text.Length > 10 || text.AsSpan(7).ContainsAnyExceptInRange('0', '9')) return false;
            ticks = (long)(double.Parse("0" + text[6..], CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond);
        }

        time = new TimeOnly(h, m, sec).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    private static bool TryDate(string text, out DateOnly date)
    {
        date = default;
        if (text.Length != 6 || text.AsSpan().ContainsAnyExceptInRange('0', '9')) return false;
        var day = int.Parse(text.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var yy = int.Parse(text.AsSpan(4, 2), CultureInfo.InvariantCulture);
        // Two-digit years: GPS receivers date from 1980 on.
        var year = yy < 80 ? 2000 + yy : 1900 + yy;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    // ddmm.mmmm,N|S,dddmm.mmmm,E|W
    private static bool TryLatLon(string lat, string ns, string lon, string ew, out double latitude, out double longitude)
    {
        latitude = longitude = 0;
        if (!TryDegreesMinutes(lat, 90, out latitude) || !TryDegreesMinutes(lon, 180, out longitude)) return false;
        switch (ns)
        {
            case "N": break;
            case "S": latitude = -latitude; break;
            default: return false;
        }

        switch (ew)
        {
            case "E": break;
            case "W": longitude = -longitude; break;
            default: return false;
        }

        return true;
    }

    private static bool TryDegreesMinutes(string text, int maxDegrees, out double degrees)
    {
        degrees = 0;
        if (text.Length is 0 or > 16 || text[0] is '-' or '+') return false;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var whole = Math.Floor(value / 100);
        var minutes = value - whole * 100;
        if (minutes >= 60) return false;
        degrees = whole + minutes / 60;
        return degrees <= maxDegrees;
    }

    private static bool TryOptional(string text, out double? value)
    {
        value = null;
        if (text.Length == 0) return true;
        if (text.Length > 16 || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            return false;
        value = v;
        return true;
    }

    private sealed record Reading(TimeOnly Time, bool HasFix, bool IsRmc)
    {
        public double Lat { get; init; }

        public double Lon { get; init; }

        public DateOnly? Date { get; init; }

        public double? Speed { get; init; }

        public double? Course { get; init; }

        public double? Altitude { get; init; }

        public double? GeoidSeparation { get; init; }
    }

    private sealed class Epoch(TimeOnly time)
    {
        public TimeOnly Time { get; } = time;

        public Reading? Rmc { get; set; }

        public Reading? Gga { get; set; }

        public bool Done { get; set; }
    }
}
