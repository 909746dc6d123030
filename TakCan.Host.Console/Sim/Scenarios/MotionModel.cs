using System.Numerics;

namespace TakCan.Host.Console.Sim.Scenarios;

/// <summary>
/// Where every node is at a given time: standing still, wandering (a random walk between random points of the
/// area at a walking speed), or moving with its group along waypoint offsets (two groups drifting apart and back).
/// Driven forward tick by tick, so it stays deterministic for a seed.
/// </summary>
public sealed class MotionModel
{
    private readonly MotionSpec _spec;
    private readonly Vector2[] _start;
    private readonly Vector2[] _current;
    private readonly Vector2[] _targets;
    private readonly Vector2 _area;
    private readonly Random _random;

    public MotionModel(Scenario scenario, IReadOnlyList<Vector2> start, Random random)
    {
        _spec = scenario.Motion;
        _start = start.ToArray();
        _current = start.ToArray();
        _random = random;
        var max = _start.Length == 0 ? Vector2.Zero : _start.Aggregate(Vector2.Max);
        _area = scenario.Nodes.Layout == "random" ? new Vector2((float)scenario.Nodes.AreaM[0], (float)scenario.Nodes.AreaM[1]) : max;
        _targets = _start.Select(_ => RandomPoint()).ToArray();
        if (_spec.Kind is not ("none" or "random-walk" or "groups"))
            throw new ScenarioException($"unknown motion '{_spec.Kind}' (none, random-walk, groups)");
    }

    public bool Moves => _spec.Kind != "none";

    public TimeSpan Tick => TimeSpan.FromSeconds(_spec.TickS);

    public IReadOnlyList<Vector2> Positions => _current;

    /// <summary>Positions at <paramref name="t"/>, one tick after the previous call.</summary>
    public IReadOnlyList<Vector2> Step(TimeSpan t)
    {
        switch (_spec.Kind)
        {
            case "random-walk":
                var step = (float)(_spec.SpeedMps * _spec.TickS);
                for (var i = 0; i < _current.Length; i++)
                {
                    var to = _targets[i] - _current[i];
                    if (to.Length() <= step)
                    {
                        _current[i] = _targets[i];
                        _targets[i] = RandomPoint();
                    }
                    else
                    {
                        _current[i] += Vector2.Normalize(to) * step;
                    }
                }

                break;
            case "groups":
                foreach (var group in _spec.Groups)
                {
                    var offset = Offset(group.Waypoints, t.TotalSeconds);
                    for (var i = Math.Max(0, group.First); i <= Math.Min(_current.Length - 1, group.Last); i++) _current[i] = _start[i] + offset;
                }

                break;
        }

        return _current;
    }

    private static Vector2 Offset(IReadOnlyList<double[]> waypoints, double t)
    {
        if (waypoints.Count == 0) return Vector2.Zero;
        if (t <= waypoints[0][0]) return new Vector2((float)waypoints[0][1], (float)waypoints[0][2]);
        for (var k = 1; k < waypoints.Count; k++)
        {
            var (a, b) = (waypoints[k - 1], waypoints[k]);
            if (t > b[0]) continue;
            var f = (t - a[0]) / (b[0] - a[0]);
            return new Vector2((float)(a[1] + f * (b[1] - a[1])), (float)(a[2] + f * (b[2] - a[2])));
        }

        var last = waypoints[^1];
        return new Vector2((float)last[1], (float)last[2]);
    }

    private Vector2 RandomPoint() => new((float)(_random.NextDouble() * _area.X), (float)(_random.NextDouble() * _area.Y));
}
