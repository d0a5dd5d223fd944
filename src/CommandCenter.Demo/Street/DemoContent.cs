using System.Globalization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Demo.Street;

/// <summary>
/// The words of the demo street: people's names, phone numbers, road names, incident texts. Shared by the
/// seeder (history) and the simulator (live traffic) so that both speak the same language. Every method takes
/// the caller's <see cref="Random"/>, so a seeded generator stays deterministic.
/// </summary>
public static class DemoContent
{
    // Common Chinese surnames, the most frequent ones repeated so they come up more often.
    private static readonly string[] Surnames =
    [
        "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "陈", "陈", "杨", "杨", "赵", "黄", "周", "吴",
        "徐", "孙", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯",
        "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏",
        "薛", "叶", "阎", "潘", "杜", "夏", "钟", "田", "任", "姜", "范", "方", "石", "姚", "谭", "邹", "金", "孔",
        "白", "崔", "康", "毛", "邱", "秦", "史", "顾", "侯", "邵", "孟", "段", "钱", "尹", "常", "武", "褚", "颜",
    ];

    private static readonly string[] GivenSingle =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平",
        "刚", "辉", "鹏", "华", "飞", "鑫", "波", "宁", "萍", "斌", "玲", "红", "梅", "健", "亮", "峰", "琳", "颖",
    ];

    private static readonly string[] GivenDouble =
    [
        "秀英", "桂英", "秀兰", "玉兰", "建华", "建国", "志强", "海燕", "红梅", "淑珍", "春梅", "德山", "国庆", "丽华",
        "建军", "秀珍", "凤英", "玉梅", "晓东", "文博", "子涵", "浩然", "欣怡", "宇航", "俊杰", "思远", "雨萱", "明轩",
        "振华", "立新", "永强", "春燕", "金凤", "成刚", "广明", "庆华", "兆丰", "洪涛", "凤兰", "宝林", "学军", "利民",
    ];

    private static readonly string[] MobilePrefixes =
        ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "177", "180", "186", "187", "188", "189"];

    /// <summary>East–west roads, south to north: one per horizontal line of the street's lattice.</summary>
    public static readonly IReadOnlyList<(string En, string Zh)> EastWestRoads =
    [
        ("Jianshe Rd", "建设路"), ("Wenhua Rd", "文化路"), ("Longshan Rd", "龙山路"), ("Guangming Rd", "光明路"), ("Qingtan Rd", "青檀路"),
    ];

    /// <summary>North–south streets, west to east: one per vertical line of the street's lattice.</summary>
    public static readonly IReadOnlyList<(string En, string Zh)> NorthSouthStreets =
    [
        ("Zhenxing St", "振兴街"), ("Junshan St", "君山街"), ("Xichang St", "西昌街"), ("Huashan St", "华山街"), ("Taishan St", "泰山街"),
        ("Minsheng St", "民生街"), ("Heping St", "和平街"), ("Xinhua St", "新华街"), ("Youyi St", "友谊街"), ("Fuqian St", "府前街"),
        ("Jiefang St", "解放街"), ("Renmin St", "人民街"), ("Shengli St", "胜利街"), ("Changjiang St", "长江街"),
    ];

    /// <summary>Duty operators of the command center: they verify, dispatch, and check and close.</summary>
    public static readonly IReadOnlyList<string> DutyOperators = ["指挥中心 刘晓燕", "指挥中心 王志刚", "指挥中心 孙丽华", "指挥中心 陈明轩"];

    public static readonly IReadOnlyList<string> PatrolNotes =
        ["例行巡查", "例行巡查，未发现问题", "重点部位巡查", "夜间安全巡查", "沿街商户巡查", "防汛隐患排查", "消防通道检查", "垃圾分类点检查"];

    public static readonly IReadOnlyList<string> VisitNotes =
        ["入户走访，了解生活情况", "走访独居老人，身体状况良好", "政策宣传", "了解困难诉求，已登记", "送医送药上门", "节日慰问", "安全用电提醒", "防诈骗宣传"];

    public static T Pick<T>(Random rnd, IReadOnlyList<T> items) => items[rnd.Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public static int PickWeighted(Random rnd, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = rnd.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }

        return weights.Count - 1;
    }

    public static double Between(Random rnd, double min, double max) => min + (rnd.NextDouble() * (max - min));

    public static string PersonName(Random rnd)
    {
        var surname = Pick(rnd, Surnames);
        return rnd.NextDouble() < 0.35 ? surname + Pick(rnd, GivenSingle) : surname + Pick(rnd, GivenDouble);
    }

    /// <summary>A mobile number with its middle digits masked, as screens show it: <c>138****1234</c>.</summary>
    public static string MaskedPhone(Random rnd) =>
        Pick(rnd, MobilePrefixes) + "****" + rnd.Next(0, 10000).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Hourly weights of when things happen in a street (local time): quiet at night, busy mornings and afternoons.</summary>
    public static readonly IReadOnlyList<double> HourWeights =
    [
        0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.8, 1.5, 2.5, 3.0, 3.0, 2.6,
        1.8, 1.8, 2.6, 2.8, 2.8, 2.4, 1.8, 1.6, 1.4, 1.0, 0.7, 0.45,
    ];

    /// <summary>How often an incident of each category comes up, in the order of <see cref="IncidentCategories.All"/>.</summary>
    public static readonly IReadOnlyList<double> CategoryWeights = IncidentCategories.All.Select(c => c.Entry.Code switch
    {
        "sanitation" => 25.0,
        "road_occupation" => 18,
        "safety_hazard" => 12,
        "dispute" => 9,
        "noise" => 8,
        "elderly_care" => 8,
        "illegal_construction" => 6,
        "epidemic" => 4,
        "fire" => 4,
        "flooding" => 3,
        _ => 3,
    }).ToList();

    public static string PickCategory(Random rnd) => IncidentCategories.All[PickWeighted(rnd, CategoryWeights)].Entry.Code;

    /// <summary>A believable source for a category: cameras see occupation, garbage and smoke; sensors only flooding.</summary>
    public static IncidentSource PickSource(Random rnd, string category)
    {
        var cameraFits = category is "road_occupation" or "sanitation" or "fire" or "safety_hazard";
        var x = rnd.NextDouble();
        if (cameraFits && x < 0.18) return IncidentSource.Camera;
        if (category == "flooding" && x < 0.4) return IncidentSource.Sensor;
        x = rnd.NextDouble();
        return x < 0.55 ? IncidentSource.GridPatrol : x < 0.8 ? IncidentSource.Resident : IncidentSource.Hotline;
    }

    private static readonly Dictionary<string, (string Title, string Description)[]> IncidentTexts = new(StringComparer.Ordinal)
    {
        ["safety_hazard"] =
        [
            ("楼道堆放杂物堵塞通道", "单元楼道内堆放纸箱、旧家具，影响通行和疏散。"),
            ("井盖破损存在安全隐患", "人行道井盖破损松动，行人经过有踩空危险。"),
            ("广告牌松动有坠落风险", "沿街商铺广告牌固定件锈蚀松动，大风天气易坠落。"),
            ("电动车楼道内充电", "居民将电动车推入楼道充电，存在火灾隐患。"),
            ("小区路灯损坏", "小区主干道路灯不亮，夜间居民出行不便。"),
        ],
        ["fire"] =
        [
            ("消防通道被车辆占用", "小区消防通道被私家车长期占用，消防车无法通行。"),
            ("灭火器过期未更换", "沿街商铺灭火器压力不足、已过有效期。"),
            ("违规使用液化气罐", "餐饮店在后厨违规存放多个液化气罐。"),
            ("楼顶焚烧杂物冒烟", "居民在楼顶焚烧杂物，有浓烟冒出。"),
        ],
        ["dispute"] =
        [
            ("邻里因漏水发生纠纷", "楼上卫生间漏水至楼下，双方协商未果发生争执。"),
            ("停车位争议", "居民因小区停车位使用问题发生口角。"),
            ("宠物扰邻纠纷", "居民饲养犬只夜间吠叫，邻居多次反映未解决。"),
            ("物业费纠纷", "部分业主与物业公司因服务质量和收费问题产生矛盾。"),
        ],
        ["sanitation"] =
        [
            ("垃圾桶满溢未及时清运", "小区垃圾分类点垃圾满溢，散发异味。"),
            ("背街小巷乱堆乱放", "背街小巷堆放建筑垃圾和生活垃圾。"),
            ("绿化带内有积存垃圾", "道路绿化带内塑料袋、饮料瓶等垃圾较多。"),
            ("下水道堵塞污水外溢", "小区下水道堵塞，污水外溢至路面。"),
            ("小广告乱张贴", "单元门口和电线杆上小广告较多。"),
        ],
        ["road_occupation"] =
        [
            ("商户占道经营", "沿街商户将货物摆放至人行道，影响行人通行。"),
            ("流动摊贩占道", "早市流动摊贩占用机动车道经营。"),
            ("餐饮店门前占道摆桌", "夜间烧烤店在门前人行道摆放桌椅。"),
            ("车辆乱停乱放", "非机动车在盲道上乱停乱放。"),
        ],
        ["illegal_construction"] =
        [
            ("一楼住户私搭乱建", "一楼住户在院内私自搭建彩钢棚。"),
            ("楼顶违章搭建", "顶楼住户在楼顶私自加盖房屋。"),
            ("私自圈占公共绿地", "居民私自圈占楼前公共绿地种菜。"),
        ],
        ["epidemic"] =
        [
            ("返乡人员健康登记", "辖区新增返乡人员，需进行健康登记和提醒。"),
            ("公共场所消杀提醒", "农贸市场公共区域需加强消杀。"),
            ("疫苗接种动员", "辖区老年人疫苗接种需上门动员和登记。"),
        ],
        ["flooding"] =
        [
            ("路段积水影响通行", "强降雨后路段积水较深，车辆通行困难。"),
            ("雨水篦子堵塞", "雨水篦子被落叶、垃圾堵塞，排水不畅。"),
            ("地下车库进水风险", "小区地下车库入口地势低，有进水风险。"),
        ],
        ["noise"] =
        [
            ("夜间施工噪音扰民", "工地夜间22点后仍在施工，噪音较大。"),
            ("广场舞音响声音过大", "广场舞音响音量过大，影响周边居民休息。"),
            ("商铺外放音响扰民", "沿街商铺门口音箱外放促销广告。"),
        ],
        ["elderly_care"] =
        [
            ("独居老人需要帮扶", "独居老人行动不便，需要助餐和定期探视。"),
            ("老人走失求助", "家属反映老人外出未归，请求协助寻找。"),
            ("适老化改造申请", "老人申请卫生间扶手等适老化改造。"),
        ],
    };

    /// <summary>An incident's title and description for its category, the title prefixed with the place.</summary>
    public static (string Title, string Description) IncidentText(Random rnd, string category, string place)
    {
        var options = IncidentTexts.TryGetValue(category, out var list) ? list : IncidentTexts["safety_hazard"];
        var (title, description) = Pick(rnd, options);
        return ($"{place} {title}", description);
    }

    /// <summary>A street address on one of the street's roads.</summary>
    public static string Address(Random rnd) =>
        (rnd.NextDouble() < 0.5 ? Pick(rnd, EastWestRoads).Zh : Pick(rnd, NorthSouthStreets).Zh)
        + rnd.Next(1, 300).ToString(CultureInfo.InvariantCulture) + "号";
}
