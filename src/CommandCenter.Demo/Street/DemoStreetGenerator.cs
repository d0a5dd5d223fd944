using System.Globalization;
using CommandCenter.Data.Street;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using static CommandCenter.Demo.Street.DemoContent;

namespace CommandCenter.Demo.Street;

/// <summary>
/// Generates the demo street at Longshan Street scale (seed 002) in memory: deterministic for a seed and a
/// clock time (one <see cref="Random"/>, draws in a fixed order, no Guid or wall clock; history relative to
/// <see cref="BoardClock.Now"/>, days and hours in the street's zone).
/// </summary>
internal sealed class DemoStreetGenerator
{
    public const string StreetCode = "370402003";
    public const int HistoryDays = 90;
    public const int BuildingCount = 453;
    public const int UnitCount = 1194;
    public const int MerchantCount = 1100;
    public const int CameraCount = 220;
    public const int WaterPointCount = 12;

    private static readonly (string En, string Zh)[] CommunityNames =
    [
        ("Guangming", "光明"), ("Longshan", "龙山"), ("Wenhua", "文化"), ("Zhenxing", "振兴"), ("Jianshe", "建设"), ("Qingtan", "青檀"),
    ];

    private enum FacilityKind { Market, School, Hospital, Logistics, Plaza, Industrial }

    private sealed record Facility(string En, string Zh, FacilityKind Kind, string[] Buildings);

    /// <summary>The exclusive grids: a cell of the lattice each, spread over the six communities.</summary>
    private static readonly Dictionary<(int Col, int Row), Facility> Exclusive = new()
    {
        [(1, 0)] = new("Xinxing Farmers' Market", "新兴农贸市场", FacilityKind.Market, ["市场大棚", "综合楼"]),
        [(2, 3)] = new("Guangming Road Primary School", "光明路小学", FacilityKind.School, ["教学楼", "综合楼"]),
        [(4, 1)] = new("Zaozhuang No. 15 Middle School", "枣庄市第十五中学", FacilityKind.School, ["教学楼", "实验楼", "学生宿舍", "教职工宿舍"]),
        [(6, 2)] = new("Shizhong District People's Hospital", "市中区人民医院", FacilityKind.Hospital, ["门诊楼", "住院部", "医技楼", "职工宿舍"]),
        [(7, 0)] = new("Nanguan Logistics Park", "南关物流园", FacilityKind.Logistics, ["仓储中心", "办公楼"]),
        [(9, 3)] = new("Longshan Commercial Plaza", "龙山商业广场", FacilityKind.Plaza, ["商业综合体", "写字楼"]),
        [(10, 1)] = new("Longshan Industrial Park", "龙山工业园", FacilityKind.Industrial, ["1号厂房", "2号厂房", "综合办公楼", "职工宿舍"]),
        [(12, 2)] = new("Qingtan Science & Technology Park", "青檀科技园", FacilityKind.Industrial, ["研发楼", "孵化中心", "人才公寓"]),
    };

    private static readonly string[] CompoundPrefixes =
    [
        "光明", "龙山", "文化", "振兴", "建设", "青檀", "幸福", "和平", "阳光", "金色", "翠苑", "锦绣", "东方", "盛世", "福泰",
        "嘉和", "新华", "民生", "春晖", "书香", "康居", "君山", "泰和", "华府", "丽景", "馨园", "银座", "世纪",
    ];

    private static readonly string[] CompoundSuffixes = ["小区", "花园", "家园", "新村", "雅居", "名苑", "佳苑", "里"];

    private static readonly (string Category, double Weight, string[] Prefixes, string[] Bodies)[] MerchantKinds =
    [
        ("餐饮", 30, ["老王", "张记", "李家", "刘记", "鲁味", "川香", "好运来", "福满楼", "金鼎", "乡味", "枣庄", "小胖"],
            ["羊肉汤", "水饺馆", "烧烤", "面馆", "快餐", "家常菜馆", "包子铺", "辣子鸡", "煎饼铺", "火锅店", "米线", "卤味店"]),
        ("零售", 28, ["鑫源", "惠民", "万家", "好邻居", "兴隆", "百姓", "家家乐", "东方", "佳佳", "金誉"],
            ["便利店", "超市", "水果店", "烟酒店", "粮油店", "服装店", "鞋店", "母婴店", "文具店", "茶叶店"]),
        ("美容美发", 10, ["丽人", "名剪", "靓点", "时尚", "阿芳", "雅致", "发艺"], ["美发店", "理发店", "美容院", "美甲店"]),
        ("维修", 8, ["诚信", "老张", "速修", "恒通", "顺达"], ["家电维修", "手机维修", "汽车修理厂", "修鞋配钥匙", "电动车维修"]),
        ("生活服务", 10, ["洁净", "便民", "顺心", "安居", "快捷"], ["干洗店", "洗车行", "快递驿站", "家政服务", "照相馆", "开锁店"]),
        ("教育培训", 4, ["启明", "博雅", "新思路", "童星", "墨香"], ["培训学校", "书法班", "舞蹈培训", "英语培训"]),
        ("医药", 5, ["康健", "仁和", "百草", "益民", "济生"], ["大药房", "诊所", "中医馆", "口腔诊所"]),
        ("五金建材", 5, ["兴旺", "宏达", "鑫鑫", "永固"], ["五金店", "建材店", "装饰材料", "水暖器材"]),
    ];

    private static readonly (string En, string Zh)[] WaterPointKinds =
    [
        ("Underpass", "下穿通道"), ("Railway Culvert", "铁路涵洞"), ("Low Section", "低洼路段"), ("Bridge Culvert", "桥涵"), ("Tunnel", "隧道"),
    ];

    private static readonly string[] FacilityCameraSpots =
        ["Main Gate", "East Gate", "West Gate", "Parking Lot", "Perimeter North", "Perimeter South", "Plaza", "Loading Bay", "Entrance Hall"];

    /// <summary>The Chinese names of <see cref="FacilityCameraSpots"/>, index for index.</summary>
    private static readonly string[] FacilityCameraSpotsZh = ["正门", "东门", "西门", "停车场", "北侧围墙", "南侧围墙", "广场", "装卸区", "入口大厅"];

    private const string LicenseAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private readonly Random _rnd;
    private readonly BoardClock _clock;
    private readonly DateTimeOffset _now;
    private readonly DemoStreetLayout _layout;
    private readonly List<GridInfo> _grids = [];
    private readonly List<BuildingInfo> _buildings = [];
    private readonly List<CameraInfo> _cameras = [];
    private readonly List<PointInfo> _points = [];
    private readonly List<Storm> _storms = [];
    private DemoStreetData _data = null!;

    private DemoStreetGenerator(int seed, BoardClock clock)
    {
        _rnd = new Random(seed);
        _clock = clock;
        _now = clock.Now.ToUniversalTime();
        _layout = DemoStreetLayout.Build(_rnd);
    }

    public static DemoStreetData Generate(int seed, BoardClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new DemoStreetGenerator(seed, clock).Build();
    }

    private DemoStreetData Build()
    {
        _data = new DemoStreetData { Street = new StreetRow(1, StreetCode, "Longshan Road Street", "龙山路街道") };
        CommunitiesAndGrids();
        BuildingsUnitsHouseholds();
        Merchants();
        Staff();
        Cameras();
        WaterPoints();
        Storms();
        Readings();
        Incidents();
        CameraAlerts();
        Patrols();
        Visits();
        WaterAlarms();
        return _data;
    }

    // ---------------------------------------------------------------- hierarchy

    private void CommunitiesAndGrids()
    {
        var gridId = 0;
        for (var k = 0; k < CommunityNames.Length; k++)
        {
            var (en, zh) = CommunityNames[k];
            var communityCode = StreetCode + (k + 1).ToString("D3", CultureInfo.InvariantCulture);
            _data.Communities.Add(new CommunityRow(k + 1, 1, communityCode, $"{en} Community", $"{zh}社区"));
            var seq = 0;
            var basicNo = 0;
            for (var row = DemoStreetLayout.Rows - 1; row >= 0; row--)
            {
                for (var col = DemoStreetLayout.CommunityFirstColumn[k]; col < DemoStreetLayout.CommunityColumnEnd(k); col++)
                {
                    gridId++;
                    seq++;
                    var code = communityCode + seq.ToString("D3", CultureInfo.InvariantCulture);
                    Exclusive.TryGetValue((col, row), out var facility);
                    string name, nameZh;
                    if (facility is null)
                    {
                        basicNo++;
                        name = $"{en} Grid {basicNo}";
                        nameZh = $"{zh}社区第{basicNo}网格";
                    }
                    else
                    {
                        name = facility.En + " Grid";
                        nameZh = facility.Zh + "专属网格";
                    }

                    var ring = _layout.CellRing(col, row);
                    var (cLon, cLat) = PolygonGeometry.Centroid(ring);
                    _data.Grids.Add(new GridRow(gridId, k + 1, code, name, nameZh, (int)(facility is null ? GridKind.Basic : GridKind.Exclusive),
                        PolygonGeometry.ToGeoJson(ring), Math.Round(cLon, 7), Math.Round(cLat, 7)));
                    _grids.Add(new GridInfo(gridId, col, row, k, facility, nameZh));
                }
            }
        }
    }

    private void BuildingsUnitsHouseholds()
    {
        // Building counts: a few in each exclusive grid, the rest over the basic grids (at least 6 each).
        var counts = new int[_grids.Count];
        var exclusiveTotal = 0;
        for (var g = 0; g < _grids.Count; g++)
        {
            if (_grids[g].Facility is { } f)
            {
                counts[g] = f.Buildings.Length;
                exclusiveTotal += counts[g];
            }
        }

        var basic = Enumerable.Range(0, _grids.Count).Where(g => _grids[g].Facility is null).ToList();
        var weights = basic.Select(_ => Between(_rnd, 0.5, 1.5)).ToList();
        foreach (var g in basic) counts[g] = 6;
        for (var left = BuildingCount - exclusiveTotal - (6 * basic.Count); left > 0; left--)
        {
            counts[basic[PickWeighted(_rnd, weights)]]++;
        }

        // Compound names, distinct per basic grid.
        var compounds = CompoundPrefixes.SelectMany(p => CompoundSuffixes.Select(s => p + s)).ToList();
        Shuffle(compounds);
        var nextCompound = 0;

        var buildingId = 0;
        foreach (var grid in _grids)
        {
            var g = grid.Id - 1;
            string? compound = null;
            if (grid.Facility is null)
            {
                compound = compounds[nextCompound++];
                grid.Place = compound;
            }

            for (var n = 1; n <= counts[g]; n++)
            {
                buildingId++;
                var p = _layout.RandomPointInCell(_rnd, grid.Col, grid.Row, 0.1);
                BuildingInfo b;
                if (grid.Facility is { } f)
                {
                    var label = f.Buildings[n - 1];
                    var dorm = label.Contains("宿舍", StringComparison.Ordinal) || label.Contains("公寓", StringComparison.Ordinal);
                    b = new BuildingInfo(buildingId, grid, f.Zh + label, _rnd.Next(3, 7), 1, dorm ? 3 : 0, Kind: 'F');
                }
                else
                {
                    var x = _rnd.NextDouble();
                    b = x < 0.72 ? new BuildingInfo(buildingId, grid, "", PickOf(5, 6, 6, 6, 6, 7), PickOf(2, 2, 3, 3, 3, 4), 2, 'W')
                        : x < 0.86 ? new BuildingInfo(buildingId, grid, "", _rnd.Next(9, 13), _rnd.Next(1, 4), 2, 'M')
                        : x < 0.92 ? new BuildingInfo(buildingId, grid, "", _rnd.Next(17, 27), _rnd.Next(1, 3), 2, 'H')
                        : new BuildingInfo(buildingId, grid, "", _rnd.Next(2, 4), 1, 2, 'L');
                    b.Name = $"{compound}{n}号楼";
                }

                b.Lon = p[0];
                b.Lat = p[1];
                b.Number = n.ToString(CultureInfo.InvariantCulture);
                _buildings.Add(b);
                grid.Buildings.Add(b);
            }
        }

        // Units: adjust the drawn counts of walk-ups and mid-rises until the street has exactly 1,194.
        var adjustable = _buildings.Where(b => b.Kind is 'W' or 'M').ToList();
        var total = _buildings.Sum(b => b.Units);
        while (total != UnitCount)
        {
            var b = adjustable[_rnd.Next(adjustable.Count)];
            if (total < UnitCount && b.Units < 5) { b.Units++; total++; }
            else if (total > UnitCount && b.Units > 1) { b.Units--; total--; }
        }

        // Rooms: every unit has floors × doors rooms; about 13,000 of them hold a registered household.
        var unitId = 0;
        var rooms = new List<(int UnitId, BuildingInfo Building, int Unit, int Floor, int Door)>();
        foreach (var b in _buildings)
        {
            for (var u = 1; u <= b.Units; u++)
            {
                unitId++;
                _data.Units.Add(new UnitRow(unitId, b.Id, u));
                for (var floor = 1; floor <= b.Floors; floor++)
                {
                    for (var door = 1; door <= b.PerFloor; door++) rooms.Add((unitId, b, u, floor, door));
                }
            }

            _data.Buildings.Add(new BuildingRow(b.Id, b.Grid.Id, b.Number, b.Name, b.Floors, b.Lon, b.Lat));
        }

        var target = Math.Min(rooms.Count, 12_900 + _rnd.Next(0, 201));
        var order = Enumerable.Range(0, rooms.Count).ToArray();
        for (var i = 0; i < target; i++)
        {
            var j = i + _rnd.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        Array.Sort(order, 0, target);
        for (var i = 0; i < target; i++)
        {
            var r = rooms[order[i]];
            var flags = KeyHouseholdFlags.None;
            if (_rnd.NextDouble() < 0.06)
            {
                var x = _rnd.NextDouble();
                flags = x < 0.5 ? KeyHouseholdFlags.EmptyNestElderly
                    : x < 0.68 ? KeyHouseholdFlags.SeverelyDisabled
                    : x < 0.88 ? KeyHouseholdFlags.LowIncome
                    : KeyHouseholdFlags.PovertyMonitoring | KeyHouseholdFlags.LowIncome;
                if (_rnd.NextDouble() < 0.1) flags |= KeyHouseholdFlags.SeverelyDisabled;
            }

            var members = flags.HasFlag(KeyHouseholdFlags.EmptyNestElderly)
                ? _rnd.Next(1, 3)
                : 1 + PickWeighted(_rnd, [12, 28, 32, 18, 10]);
            var id = (long)(i + 1);
            var room = string.Create(CultureInfo.InvariantCulture, $"{r.Unit}-{r.Floor}{r.Door:D2}");
            _data.Households.Add(new HouseholdRow(id, r.UnitId, r.Building.Grid.Id, room, PersonName(_rnd), members,
                _rnd.NextDouble() < 0.95 ? MaskedPhone(_rnd) : null, (int)flags));
            r.Building.Grid.Households.Add((id, flags != KeyHouseholdFlags.None));
        }
    }

    private void Merchants()
    {
        var weights = _grids.Select(g => g.Facility?.Kind switch
        {
            FacilityKind.Market => 12.0,
            FacilityKind.Plaza => 12.0,
            FacilityKind.Industrial or FacilityKind.Logistics or FacilityKind.Hospital => 2.0,
            FacilityKind.School => 0.3,
            _ => Between(_rnd, 0.5, 1.6),
        }).ToList();
        var kindWeights = MerchantKinds.Select(k => k.Weight).ToList();
        for (var id = 1; id <= MerchantCount; id++)
        {
            var grid = _grids[PickWeighted(_rnd, weights)];
            var kind = MerchantKinds[PickWeighted(_rnd, kindWeights)];
            var name = Pick(_rnd, kind.Prefixes) + Pick(_rnd, kind.Bodies);
            var address = grid.Facility?.Kind switch
            {
                FacilityKind.Market => $"{grid.Facility.Zh}{(char)('A' + _rnd.Next(4))}区{_rnd.Next(1, 80)}号",
                FacilityKind.Plaza => $"{grid.Facility.Zh}{_rnd.Next(1, 5)}F-{_rnd.Next(1, 60):D2}",
                _ => Address(_rnd),
            };
            var license = new char[8];
            for (var c = 0; c < license.Length; c++) license[c] = LicenseAlphabet[_rnd.Next(LicenseAlphabet.Length)];
            _data.Merchants.Add(new MerchantRow(id, grid.Id, name, kind.Category, address, "92370402MA" + new string(license)));
        }
    }

    private void Staff()
    {
        // Street cadres first: each instructs three neighbouring grids.
        var staffId = 0;
        var instructors = (_grids.Count + 2) / 3;
        for (var k = 0; k < instructors; k++)
        {
            staffId++;
            _data.Staff.Add(new StaffRow(staffId, PersonName(_rnd), MaskedPhone(_rnd), true, true));
            for (var g = 3 * k; g < Math.Min(_grids.Count, (3 * k) + 3); g++)
            {
                _data.Assignments.Add(new AssignmentRow(staffId, _grids[g].Id, (int)StaffRole.Instructor));
            }
        }

        foreach (var grid in _grids)
        {
            void Add(StaffRole role, double partyShare)
            {
                staffId++;
                var name = PersonName(_rnd);
                _data.Staff.Add(new StaffRow(staffId, name, MaskedPhone(_rnd), _rnd.NextDouble() < partyShare, true));
                _data.Assignments.Add(new AssignmentRow(staffId, grid.Id, (int)role));
                if (role is StaffRole.GridLeader or StaffRole.GridMember) grid.FieldStaff.Add((staffId, name));
            }

            Add(StaffRole.GridLeader, 0.85);
            for (var m = _rnd.Next(1, 3); m > 0; m--) Add(StaffRole.GridMember, 0.6);
            for (var v = _rnd.Next(2, 5); v > 0; v--) Add(StaffRole.Volunteer, 0.45);
        }
    }

    // ---------------------------------------------------------------- devices

    private void Cameras()
    {
        // A few basic grids (back lanes, no pole yet) have none; the others at least one.
        var basic = _grids.Where(g => g.Facility is null).ToList();
        var without = new HashSet<GridInfo>();
        while (without.Count < 3) without.Add(basic[_rnd.Next(basic.Count)]);
        var counts = _grids.Select(g => without.Contains(g) ? 0 : 1).ToArray();
        var weights = _grids.Select(g => without.Contains(g) ? 0 : g.Facility?.Kind switch
        {
            FacilityKind.Market or FacilityKind.Plaza => 4.0,
            FacilityKind.School or FacilityKind.Hospital => 3.0,
            FacilityKind.Industrial or FacilityKind.Logistics => 2.5,
            _ => Between(_rnd, 0.6, 1.4),
        }).ToList();
        for (var left = CameraCount - counts.Sum(); left > 0; left--) counts[PickWeighted(_rnd, weights)]++;

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var grid in _grids)
        {
            for (var n = 0; n < counts[grid.Id - 1]; n++)
            {
                id++;
                var u = 0.08 + (_rnd.NextDouble() * 0.84);
                var v = 0.08 + (_rnd.NextDouble() * 0.84);
                var p = _layout.PointInCell(grid.Col, grid.Row, u, v);
                string name, nameZh;
                if (grid.Facility is { } f && _rnd.NextDouble() < 0.6)
                {
                    var spot = _rnd.Next(FacilityCameraSpots.Length); // the same draw as Pick: the street stays the same for a seed
                    name = $"{f.En} {FacilityCameraSpots[spot]}";
                    nameZh = f.Zh + FacilityCameraSpotsZh[spot];
                }
                else
                {
                    var ew = EastWestRoads[grid.Row + (v > 0.5 ? 1 : 0)];
                    var ns = NorthSouthStreets[grid.Col + (u > 0.5 ? 1 : 0)];
                    name = $"{ew.En} & {ns.En}";
                    nameZh = $"{ew.Zh}与{ns.Zh}路口";
                }

                var seen = used.GetValueOrDefault(name) + 1;
                used[name] = seen;
                if (seen > 1)
                {
                    name += " #" + seen.ToString(CultureInfo.InvariantCulture);
                    nameZh += seen.ToString(CultureInfo.InvariantCulture) + "号";
                }

                var cam = new CameraInfo(id, string.Create(CultureInfo.InvariantCulture, $"CAM-{id:D4}"), grid, p[0], p[1]) { Name = name, NameZh = nameZh };
                _cameras.Add(cam);
                grid.Cameras.Add(cam);
            }
        }

        // About 4% are offline now; some others went offline earlier and came back.
        foreach (var cam in _cameras.OrderBy(_ => _rnd.Next()).Take((int)Math.Round(CameraCount * 0.04)))
        {
            cam.OfflineSince = _now - TimeSpan.FromHours(Between(_rnd, 1, 24 * 6));
            AddStatusAlert(cam, AlertKinds.CameraOffline, cam.OfflineSince.Value);
        }

        foreach (var cam in _cameras.Where(c => c.OfflineSince is null).OrderBy(_ => _rnd.Next()).Take(12).ToList())
        {
            var down = _now - TimeSpan.FromHours(Between(_rnd, 24, 24 * (HistoryDays - 1)));
            var up = down + TimeSpan.FromHours(Between(_rnd, 0.5, 20));
            cam.BackOnlineAt = up;
            AddStatusAlert(cam, AlertKinds.CameraOffline, down);
            AddStatusAlert(cam, AlertKinds.CameraOnline, up);
        }

        foreach (var cam in _cameras)
        {
            _data.Cameras.Add(new CameraRow(cam.Id, cam.Code, cam.Name, cam.Grid.Id, cam.Lon, cam.Lat,
                cam.OfflineSince is null, cam.OfflineSince ?? cam.BackOnlineAt) { NameZh = cam.NameZh });
        }
    }

    private void AddStatusAlert(CameraInfo cam, string kind, DateTimeOffset at) =>
        _data.Alerts.Add(new AlertRow
        {
            CameraId = cam.Id, Kind = kind, Confidence = 1.0, OccurredAt = at, ReceivedAt = at.AddSeconds(_rnd.Next(1, 30)),
            Status = (int)AlertStatus.Acknowledged,
        });

    private void WaterPoints()
    {
        // Twelve distinct road junctions inside the street, each point just inside one of the four cells around it.
        var vertices = new List<(int I, int J)>();
        for (var j = 1; j < DemoStreetLayout.Rows; j++)
        {
            for (var i = 1; i < DemoStreetLayout.Columns; i++) vertices.Add((i, j));
        }

        Shuffle(vertices);
        for (var k = 0; k < WaterPointCount; k++)
        {
            var (i, j) = vertices[k];
            var dc = _rnd.Next(2) - 1; // -1: the cell west of the vertex, 0: east
            var dr = _rnd.Next(2) - 1;
            var grid = _grids.Single(g => g.Col == i + dc && g.Row == j + dr);
            var p = _layout.PointInCell(grid.Col, grid.Row, dc == 0 ? 0.12 : 0.88, dr == 0 ? 0.12 : 0.88);
            var kind = Pick(_rnd, WaterPointKinds);
            var (ewEn, ewZh) = EastWestRoads[j];
            var (nsEn, nsZh) = NorthSouthStreets[i];
            var warning = 15 + (_rnd.Next(0, 11) * 0.5);
            var alarm = 30 + (_rnd.Next(0, 21) * 0.5);
            var code = string.Create(CultureInfo.InvariantCulture, $"WL-{k + 1:D2}");
            _data.WaterPoints.Add(new WaterPointRow(k + 1, code, $"{ewEn} & {nsEn} {kind.En}", $"{ewZh}{nsZh}{kind.Zh}",
                grid.Id, p[0], p[1], warning, alarm));
            _points.Add(new PointInfo(k + 1, code, $"{ewZh}{nsZh}{kind.Zh}", grid, warning, alarm,
                Between(_rnd, 0.2, 1.2), Between(_rnd, 0.35, 1.25)));
        }
    }

    // ---------------------------------------------------------------- history

    private void Storms()
    {
        // Two or three rainstorms, each in its own stretch of the history, none in the last four days.
        var count = 2 + _rnd.Next(0, 2);
        var first = _now - TimeSpan.FromDays(HistoryDays - 2);
        var span = (_now - TimeSpan.FromDays(4)) - first;
        for (var s = 0; s < count; s++)
        {
            var start = first + (span * ((s + Between(_rnd, 0.1, 0.8)) / count));
            _storms.Add(new Storm(start, TimeSpan.FromHours(Between(_rnd, 2, 4)), TimeSpan.FromHours(Between(_rnd, 1, 2.5)),
                TimeSpan.FromHours(Between(_rnd, 4, 8)), Between(_rnd, 28, 45)));
        }
    }

    private double Depth(PointInfo p, DateTimeOffset t)
    {
        var depth = p.Base + Between(_rnd, -0.2, 1.3);
        foreach (var s in _storms)
        {
            var shape = s.Shape(t);
            if (shape > 0) depth += (s.Peak * p.Sensitivity * shape) + Between(_rnd, -0.8, 0.8);
        }

        return Math.Round(Math.Clamp(depth, 0, 500), 1);
    }

    private void Readings()
    {
        // Hourly from 90 days ago to 48 hours ago, then every 5 minutes: what a gateway keeps after downsampling.
        var start = FloorTo(_now - TimeSpan.FromDays(HistoryDays), TimeSpan.FromHours(1)) + TimeSpan.FromHours(1);
        var dense = FloorTo(_now - TimeSpan.FromHours(48), TimeSpan.FromMinutes(5));
        for (var t = start; t < dense; t += TimeSpan.FromHours(1)) AddReadings(t);
        for (var t = dense; t <= _now; t += TimeSpan.FromMinutes(5)) AddReadings(t);

        void AddReadings(DateTimeOffset t)
        {
            foreach (var p in _points)
            {
                var at = t + TimeSpan.FromSeconds(p.Id * 3);
                if (at > _now) continue;
                var received = at + TimeSpan.FromSeconds(2);
                _data.Readings.Add(new ReadingRow(p.Id, Depth(p, at), at, received > _now ? _now : received));
            }
        }
    }

    private void Incidents()
    {
        var plans = new List<IncidentPlan>();
        var gridWeights = _grids.Select(g => g.Facility?.Kind switch
        {
            FacilityKind.Market or FacilityKind.Plaza => 1.6,
            null => 1.0,
            _ => 0.5,
        }).ToList();

        var overdueBudget = _rnd.Next(3, 6);
        var today = _clock.Today;
        for (var d = HistoryDays - 1; d >= 0; d--)
        {
            var dayStart = _clock.StartOf(today.AddDays(-d));
            var n = 14 + _rnd.Next(0, 13);
            for (var k = 0; k < n; k++)
            {
                var at = dayStart + TimeSpan.FromHours(PickWeighted(_rnd, HourWeights)) + TimeSpan.FromSeconds(_rnd.Next(0, 3600));
                var grid = _grids[PickWeighted(_rnd, gridWeights)];
                var category = PickCategory(_rnd);
                var source = PickSource(_rnd, category);
                if (source == IncidentSource.Sensor) source = IncidentSource.Resident; // sensor incidents come from the storms below
                if (at > _now) continue;

                // A few incidents of the last two days run past their deadline and are still open: the overdue ones.
                var forceOverdue = overdueBudget > 0 && at >= _now.AddHours(-48)
                    && IncidentCategories.DueAt(category, at) < _now.AddHours(-1) && _rnd.NextDouble() < 0.35;
                if (forceOverdue) overdueBudget--;
                plans.Add(Plan(at, category, grid, source, null, forceOverdue));
            }
        }

        // Rainstorms: points that pass their alarm depth raise a sensor incident; residents report flooding too.
        foreach (var s in _storms)
        {
            foreach (var p in _points)
            {
                var peak = p.Base + (s.Peak * p.Sensitivity);
                if (peak < p.Alarm) continue;
                var fraction = (p.Alarm - p.Base) / (s.Peak * p.Sensitivity);
                var at = s.Start + (s.Rise * fraction) + TimeSpan.FromMinutes(_rnd.Next(1, 10));
                plans.Add(Plan(at, "flooding", p.Grid, IncidentSource.Sensor, p));
            }

            for (var r = _rnd.Next(2, 6); r > 0; r--)
            {
                var at = s.Start + TimeSpan.FromMinutes(Between(_rnd, 30, (s.Rise + s.Hold + s.Recede).TotalMinutes * 0.7));
                plans.Add(Plan(at, "flooding", _grids[_rnd.Next(_grids.Count)], _rnd.NextDouble() < 0.5 ? IncidentSource.Resident : IncidentSource.GridPatrol, null));
            }
        }

        // A stable sort by report time gives ids that rise with time.
        _data.Incidents.AddRange(plans.OrderBy(p => p.Row.ReportedAt));
        foreach (var p in _data.Incidents)
        {
            if (p.ConvertedFrom is { } alert) _data.Alerts.Add(alert);
        }
    }

    private IncidentPlan Plan(DateTimeOffset reportedAt, string category, GridInfo grid, IncidentSource source, PointInfo? point, bool forceOverdue = false)
    {
        CameraInfo? camera = null;
        if (source == IncidentSource.Camera)
        {
            var online = grid.Cameras.Where(c => c.IsOnlineAt(reportedAt)).ToList();
            if (online.Count == 0) source = IncidentSource.GridPatrol;
            else camera = online[_rnd.Next(online.Count)];
        }

        var field = grid.FieldStaff[_rnd.Next(grid.FieldStaff.Count)];
        var (reporter, phone) = source switch
        {
            IncidentSource.GridPatrol => (field.Name, MaskedPhone(_rnd)),
            IncidentSource.Camera => ("视频监控平台", (string?)null),
            IncidentSource.Sensor => ("积水监测平台", null),
            _ => (PersonName(_rnd), MaskedPhone(_rnd)),
        };

        string title, description;
        double[] location;
        if (point is not null)
        {
            title = $"{point.Code} {point.NameZh}积水超过报警水位";
            description = string.Create(CultureInfo.InvariantCulture, $"监测水深超过报警水位 {point.Alarm:0.#} 厘米，请立即处置并设置警示。");
            location = [_data.WaterPoints[point.Id - 1].Lon, _data.WaterPoints[point.Id - 1].Lat];
        }
        else
        {
            var place = grid.Facility?.Zh
                ?? (grid.Buildings.Count > 0 && _rnd.NextDouble() < 0.7 ? grid.Buildings[_rnd.Next(grid.Buildings.Count)].Name : grid.Place ?? grid.NameZh);
            (title, description) = IncidentText(_rnd, category, place);
            location = camera is not null ? [camera.Lon, camera.Lat] : _layout.RandomPointInCell(_rnd, grid.Col, grid.Row);
        }

        var dueAt = IncidentCategories.DueAt(category, reportedAt);
        var deadline = dueAt - reportedAt;
        var cycleDraw = _rnd.NextDouble();
        var cycle = cycleDraw < 0.72 ? IncidentCycle.Micro : cycleDraw < 0.92 ? IncidentCycle.Small : IncidentCycle.Large;
        // Time to close: a share of the deadline, more than all of it for the incidents that run late. It is split
        // over the five steps that follow the report; verifying and dispatching are capped (the duty desk is quick).
        var lateShare = cycle switch { IncidentCycle.Micro => 0.1, IncidentCycle.Small => 0.2, _ => 0.35 };
        var total = deadline * (forceOverdue || _rnd.NextDouble() < lateShare ? Between(_rnd, 1.1, 2.0) : Between(_rnd, 0.4, 0.95));
        if (forceOverdue && reportedAt + total <= _now + TimeSpan.FromHours(1))
        {
            total = _now - reportedAt + TimeSpan.FromHours(Between(_rnd, 1, 12));
        }

        double[] w = [Between(_rnd, 0.05, 0.15), Between(_rnd, 0.05, 0.2), Between(_rnd, 0.3, 0.5), Between(_rnd, 0.05, 0.15), Between(_rnd, 0.1, 0.3)];
        var sumW = w.Sum();
        var toVerify = Min(total * (w[0] / sumW), TimeSpan.FromHours(3));
        var toDispatch = Min(total * (w[1] / sumW), TimeSpan.FromHours(6));
        var rest = total - toVerify - toDispatch;
        var restW = w[2] + w[3] + w[4];
        var verified = reportedAt + toVerify;
        var dispatched = verified + toDispatch;
        var processed = dispatched + (rest * (w[2] / restW));
        var feedback = processed + (rest * (w[3] / restW));
        var closed = reportedAt + total;

        var community = CommunityNames[grid.Community].Zh + "社区";
        var handler = cycle switch
        {
            IncidentCycle.Micro => field.Name,
            IncidentCycle.Small => $"{community} {PersonName(_rnd)}",
            _ => Pick(_rnd, ["街道城管中队", "街道安监办", "市场监管所", "街道综治中心", "街道社会事务办"]),
        };
        var dispatchNote = cycle switch
        {
            IncidentCycle.Micro => $"派遣至{grid.NameZh}网格员 {field.Name}",
            IncidentCycle.Small => $"网格内难以解决，转{community}处置",
            _ => $"上报街道指挥中心，派遣{handler}",
        };
        var all = new[]
        {
            new StepEntry(IncidentStep.Reported, reportedAt, reporter, null),
            new StepEntry(IncidentStep.Verified, verified, Pick(_rnd, DutyOperators), "核实属实，予以立案"),
            new StepEntry(IncidentStep.Dispatched, dispatched, Pick(_rnd, DutyOperators), dispatchNote),
            new StepEntry(IncidentStep.Processed, processed, handler, "已到现场处置"),
            new StepEntry(IncidentStep.FeedbackGiven, feedback, handler, "处置完毕，已反馈"),
            new StepEntry(IncidentStep.Closed, closed, Pick(_rnd, DutyOperators), "核查通过，办结"),
        };
        var passed = all.TakeWhile(s => s.At <= _now).ToList();
        var last = passed[^1];
        var row = new IncidentRow
        {
            Category = category,
            GridId = grid.Id,
            Source = (int)source,
            ReporterName = reporter,
            ReporterPhone = phone,
            Title = title,
            Description = description,
            Address = grid.Facility?.Zh ?? Address(_rnd),
            Lon = location[0],
            Lat = location[1],
            Step = (int)last.Step,
            Cycle = (int)cycle,
            ReportedAt = reportedAt,
            DueAt = dueAt,
            ClosedAt = last.Step == IncidentStep.Closed ? last.At : null,
            UpdatedAt = last.At,
            RowVersion = passed.Count,
        };

        AlertRow? alert = null;
        if (camera is not null)
        {
            var occurred = reportedAt - TimeSpan.FromSeconds(_rnd.Next(60, 480));
            alert = new AlertRow
            {
                CameraId = camera.Id,
                Kind = category switch { "fire" => "fire_smoke", "sanitation" => "garbage_overflow", "road_occupation" => "road_occupation", _ => "intrusion" },
                Confidence = Math.Round(Between(_rnd, 0.8, 0.98), 2),
                OccurredAt = occurred,
                ReceivedAt = occurred.AddSeconds(_rnd.Next(1, 6)),
                Status = (int)AlertStatus.Converted,
                // The duty operator acknowledged it and made the incident at once, as the live desk does.
                AcknowledgedAt = reportedAt,
            };
        }

        return new IncidentPlan(row, passed, alert);
    }

    private void CameraAlerts()
    {
        var kinds = AlertKinds.Detections;
        var kindWeights = kinds.Select(k => k.Code switch
        {
            "illegal_parking" => 30.0,
            "road_occupation" => 20,
            "garbage_overflow" => 20,
            "crowd" => 12,
            "intrusion" => 12,
            _ => 6,
        }).ToList();
        var hourWeights = HourWeights.Select(Math.Sqrt).ToList(); // cameras see all day, a little more by day
        var today = _clock.Today;
        for (var d = HistoryDays - 1; d >= 0; d--)
        {
            var dayStart = _clock.StartOf(today.AddDays(-d));
            var n = 40 + _rnd.Next(0, 21);
            for (var k = 0; k < n; k++)
            {
                var at = dayStart + TimeSpan.FromHours(PickWeighted(_rnd, hourWeights)) + TimeSpan.FromSeconds(_rnd.Next(0, 3600));
                var cam = _cameras[_rnd.Next(_cameras.Count)];
                var kind = kinds[PickWeighted(_rnd, kindWeights)].Code;
                var confidence = Math.Round(Between(_rnd, 0.55, 0.99), 2);
                // Handled as the live duty desk handles them (DutyDeskPolicy): those whose time has not come yet are still New.
                var (action, minutes) = Simulation.DutyDeskPolicy.ForCameraAlert(_rnd, kind, confidence);
                if (at > _now || !cam.IsOnlineAt(at)) continue;
                var handled = at + TimeSpan.FromMinutes(minutes);
                var status = handled > _now ? AlertStatus.New : action == Simulation.DeskAction.Dismiss ? AlertStatus.Dismissed : AlertStatus.Acknowledged;
                var received = at.AddSeconds(_rnd.Next(1, 6));
                _data.Alerts.Add(new AlertRow
                {
                    CameraId = cam.Id, Kind = kind, Confidence = confidence, OccurredAt = at,
                    ReceivedAt = received > _now ? _now : received, Status = (int)status,
                    AcknowledgedAt = status == AlertStatus.New ? null : handled,
                    ClosedAt = status == AlertStatus.Dismissed ? handled : null,
                });
            }
        }

        // Ids rise with time, as they would have if the alerts had arrived live.
        var sorted = _data.Alerts.OrderBy(a => a.OccurredAt).ThenBy(a => a.CameraId).ToList();
        _data.Alerts.Clear();
        _data.Alerts.AddRange(sorted);
    }

    /// <summary>
    /// The warnings and alarms the past rainstorms raised (the level machine's rule: the level held for the pending time,
    /// cleared below it minus the hysteresis margin; the points' defaults, 60 s and 2 cm), each acknowledged by the duty
    /// desk as the live one does (<see cref="Simulation.DutyDeskPolicy.ForWaterAlarm"/>).
    /// </summary>
    private void WaterAlarms()
    {
        var pending = TimeSpan.FromSeconds(60);
        const double Hysteresis = 2;
        var alarms = new List<WaterAlarmRow>();
        foreach (var s in _storms)
        {
            foreach (var p in _points)
            {
                var rise = s.Peak * p.Sensitivity;
                var peak = Math.Round(p.Base + rise, 1);
                foreach (var (kind, level) in new[] { (WaterAlarmKind.Warning, p.Warning), (WaterAlarmKind.Alarm, p.Alarm) })
                {
                    if (peak < level) continue;
                    var raised = s.Start + (s.Rise * ((level - p.Base) / rise)) + pending;
                    var below = Math.Clamp((level - Hysteresis - p.Base) / rise, 0, 1);
                    var cleared = s.Start + s.Rise + s.Hold + (s.Recede * (1 - below));
                    var acknowledged = raised + TimeSpan.FromMinutes(Simulation.DutyDeskPolicy.ForWaterAlarm(_rnd, kind));
                    if (raised > _now) continue;
                    alarms.Add(new WaterAlarmRow(p.Id, (int)kind, raised, Math.Round(level, 1), peak,
                        cleared <= _now ? cleared : null, acknowledged <= _now ? acknowledged : null));
                }
            }
        }

        _data.WaterAlarms.AddRange(alarms.OrderBy(a => a.RaisedAt).ThenBy(a => a.WaterPointId));
    }

    private void Patrols()
    {
        var today = _clock.Today;
        for (var d = HistoryDays - 1; d >= 0; d--)
        {
            var dayStart = _clock.StartOf(today.AddDays(-d));
            var day = new List<PatrolRow>();
            foreach (var grid in _grids)
            {
                var n = 1 + PickWeighted(_rnd, [25, 50, 25]);
                for (var k = 0; k < n; k++)
                {
                    // The routine round is in the morning; further rounds in the afternoon and evening.
                    var minutes = k == 0 ? Between(_rnd, 8 * 60, 11.5 * 60) : Between(_rnd, 13.5 * 60, 21 * 60);
                    var at = dayStart + TimeSpan.FromMinutes(minutes);
                    var who = grid.FieldStaff[_rnd.Next(grid.FieldStaff.Count)];
                    var p = _layout.RandomPointInCell(_rnd, grid.Col, grid.Row);
                    var note = _rnd.NextDouble() < 0.4 ? Pick(_rnd, PatrolNotes) : null;
                    if (at <= _now) day.Add(new PatrolRow(who.Id, grid.Id, at, p[0], p[1], note));
                }
            }

            _data.Patrols.AddRange(day.OrderBy(p => p.CheckedInAt));
        }
    }

    private void Visits()
    {
        var first = _clock.StartOf(_clock.Today.AddDays(-(HistoryDays - 1)));
        var visits = new List<VisitRow>();

        // Key households: weekly, on a weekday more often than at the weekend.
        var week = _clock.WeekStartDate;
        while (_clock.StartOf(week) > first) week = week.AddDays(-7);
        for (; week <= _clock.Today; week = week.AddDays(7))
        {
            var weekStart = _clock.StartOf(week);
            foreach (var grid in _grids)
            {
                foreach (var (id, key) in grid.Households)
                {
                    if (!key) continue;
                    var day = PickWeighted(_rnd, [1, 1, 1, 1, 1, 0.5, 0.4]);
                    var at = weekStart + TimeSpan.FromDays(day) + TimeSpan.FromMinutes(Between(_rnd, 9 * 60, 17 * 60));
                    var who = grid.FieldStaff[_rnd.Next(grid.FieldStaff.Count)];
                    var note = Pick(_rnd, VisitNotes);
                    if (_rnd.NextDouble() < 0.95 && at >= first && at <= _now) visits.Add(new VisitRow(who.Id, id, at, note));
                }
            }
        }

        // Other households: about forty a day, street-wide.
        var households = _data.Households;
        var today = _clock.Today;
        for (var d = HistoryDays - 1; d >= 0; d--)
        {
            var dayStart = _clock.StartOf(today.AddDays(-d));
            for (var k = 32 + _rnd.Next(0, 17); k > 0; k--)
            {
                var h = households[_rnd.Next(households.Count)];
                var grid = _grids[h.GridId - 1];
                var who = grid.FieldStaff[_rnd.Next(grid.FieldStaff.Count)];
                var at = dayStart + TimeSpan.FromMinutes(Between(_rnd, 9 * 60, 19 * 60));
                var note = _rnd.NextDouble() < 0.6 ? Pick(_rnd, VisitNotes) : null;
                if (at <= _now) visits.Add(new VisitRow(who.Id, h.Id, at, note));
            }
        }

        _data.Visits.AddRange(visits.OrderBy(v => v.VisitedAt).ThenBy(v => v.HouseholdId));
    }

    // ---------------------------------------------------------------- helpers

    private int PickOf(params int[] values) => values[_rnd.Next(values.Length)];

    private void Shuffle<T>(IList<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _rnd.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset FloorTo(DateTimeOffset t, TimeSpan step) =>
        new(t.UtcTicks - (t.UtcTicks % step.Ticks), TimeSpan.Zero);

    private sealed class GridInfo(int id, int col, int row, int community, Facility? facility, string nameZh)
    {
        public int Id { get; } = id;
        public int Col { get; } = col;
        public int Row { get; } = row;
        public int Community { get; } = community;
        public Facility? Facility { get; } = facility;
        public string NameZh { get; } = nameZh;
        public string? Place { get; set; }
        public List<BuildingInfo> Buildings { get; } = [];
        public List<CameraInfo> Cameras { get; } = [];
        public List<(int Id, string Name)> FieldStaff { get; } = [];
        public List<(long Id, bool Key)> Households { get; } = [];
    }

    private sealed class BuildingInfo(int id, GridInfo grid, string name, int floors, int units, int perFloor, char Kind)
    {
        public int Id { get; } = id;
        public GridInfo Grid { get; } = grid;
        public string Name { get; set; } = name;
        public string Number { get; set; } = "";
        public int Floors { get; } = floors;
        public int Units { get; set; } = units;
        public int PerFloor { get; } = perFloor;
        /// <summary>W walk-up, M mid-rise, H high-rise, L low-rise, F facility.</summary>
        public char Kind { get; } = Kind;
        public double Lon { get; set; }
        public double Lat { get; set; }
    }

    private sealed class CameraInfo(int id, string code, GridInfo grid, double lon, double lat)
    {
        public int Id { get; } = id;
        public string Code { get; } = code;
        public GridInfo Grid { get; } = grid;
        public double Lon { get; } = lon;
        public double Lat { get; } = lat;
        public required string Name { get; init; }
        public string NameZh { get; init; } = "";
        public DateTimeOffset? OfflineSince { get; set; }
        public DateTimeOffset? BackOnlineAt { get; set; }

        public bool IsOnlineAt(DateTimeOffset t) => OfflineSince is null || t < OfflineSince;
    }

    private sealed record PointInfo(int Id, string Code, string NameZh, GridInfo Grid, double Warning, double Alarm, double Base, double Sensitivity);

    /// <summary>A rainstorm: the water rises linearly, holds, then recedes; <see cref="Peak"/> is the depth at a point of sensitivity 1.</summary>
    private sealed record Storm(DateTimeOffset Start, TimeSpan Rise, TimeSpan Hold, TimeSpan Recede, double Peak)
    {
        public double Shape(DateTimeOffset t)
        {
            var x = t - Start;
            if (x <= TimeSpan.Zero) return 0;
            if (x < Rise) return x / Rise;
            if (x < Rise + Hold) return 1;
            if (x < Rise + Hold + Recede) return 1 - ((x - Rise - Hold) / Recede);
            return 0;
        }
    }
}
