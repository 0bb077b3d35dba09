//! `report.html`: one self-contained page (inline CSS, JS and SVG; no network) with the
//! requirement vs scheduled agents per queue, predicted service level against the target, a
//! roster Gantt filterable by day, the what-if table and the forecast accuracy table.
//!
//! Charts are hand-written SVG: they are simple step lines and bars, and writing them directly
//! lets every chart carry its data (`data-*` attributes) for tests and for readers who want
//! the numbers. All text from inputs (agent names come from HR systems) is escaped.

use std::fmt::Write as _;

/// A table shown as HTML (what-if, forecast accuracy, summary).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// One queue's series over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSeries {
    /// Queue id.
    pub queue: String,
    /// Required agents on the queue per interval.
    pub required: Vec<f64>,
    /// Scheduled agents on the queue per interval (after breaks).
    pub scheduled: Vec<f64>,
    /// Predicted service level per interval (`None` when closed or not applicable).
    pub service_level: Vec<Option<f64>>,
    /// Service-level target (`None` for email).
    pub target: Option<f64>,
    /// With a day or week goal: the level no interval may fall below (drawn dotted).
    pub floor: Option<f64>,
}

/// One shift bar of the Gantt, in minutes from the horizon start.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttShift {
    /// Start, minutes after the horizon start.
    pub start: f64,
    /// End, minutes after the horizon start.
    pub end: f64,
    /// Breaks as (start, end) minutes after the horizon start.
    pub breaks: Vec<(f64, f64)>,
    /// Tooltip, e.g. "Tue 08:00-16:30 early8 (voice)".
    pub label: String,
}

/// One agent's row of the Gantt.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttRow {
    /// Agent id.
    pub agent_id: String,
    /// Agent name (untrusted; escaped when rendered).
    pub agent_name: String,
    /// Shifts in time order.
    pub shifts: Vec<GanttShift>,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportData {
    /// Page title.
    pub title: String,
    /// Time zone name; every time on the page is local to it.
    pub zone: String,
    /// Local labels of the interval starts, e.g. "Mon 26 08:15".
    pub interval_labels: Vec<String>,
    /// Interval length in minutes.
    pub interval_minutes: u32,
    /// Per day: (label, first interval index, minutes from horizon start to the day start,
    /// day length in minutes).
    pub days: Vec<(String, usize, f64, f64)>,
    /// Key figures.
    pub summary: Table,
    /// Per-queue series.
    pub queues: Vec<QueueSeries>,
    /// Roster rows (empty when no roster was made).
    pub gantt: Vec<GanttRow>,
    /// What-if results, when variants were run.
    pub whatif: Option<Table>,
    /// Forecast accuracy, when a forecast was made.
    pub forecast_accuracy: Option<Table>,
    /// Notes (shortfall explanations, forecast gaps) shown under the summary.
    pub notes: Vec<String>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn fmt(value: f64) -> String {
    crate::units::format_number(value, 2)
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{background:#0f3d5e;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{padding:12px 28px 40px;max-width:1400px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;margin:16px 0;padding:14px 18px}
h2{font-size:17px;margin:2px 0 10px}
table{border-collapse:collapse;font-size:13px}
.table-wrap{overflow-x:auto}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#f1f5f9}
.legend{font-size:12px;color:#475569;margin:4px 0}
.legend span{display:inline-block;width:14px;height:3px;margin:0 4px 3px 12px;vertical-align:middle}
svg.chart{width:100%;height:auto;display:block}
.axis{stroke:#94a3b8;stroke-width:1}
.grid{stroke:#e2e8f0;stroke-width:1}
.tick{font-size:11px;fill:#64748b}
.required{fill:none;stroke:#dc2626;stroke-width:1.6}
.scheduled{fill:#93c5fd;fill-opacity:.45;stroke:#2563eb;stroke-width:1.2}
.sl{fill:none;stroke:#059669;stroke-width:1.4}
.target{stroke:#b91c1c;stroke-width:1.2;stroke-dasharray:6 4}
.gantt-wrap{max-height:640px;overflow-y:auto;border:1px solid #e2e8f0}
.gantt-grid,.gantt-head{display:flex}
.names{flex:0 0 190px;font-size:11px;color:#334155}
.names div{height:14px;line-height:14px;overflow:hidden;white-space:nowrap;padding-left:4px}
.bars{flex:1 1 auto;min-width:0}
svg.gantt{width:100%;display:block}
#gantt-axis{position:relative;flex:1 1 auto;height:18px;font-size:11px;color:#64748b}
#gantt-axis span{position:absolute;top:2px;padding-left:3px;border-left:1px solid #94a3b8}
.shift{fill:#3b82f6}
.break{fill:#fbbf24}
.name{font-size:11px;fill:#334155}
.notes li{margin:3px 0}
select{font-size:14px;padding:2px 6px}
"#;

const SCRIPT: &str = r#"
function showDay(value){
  var svg=document.getElementById('gantt');
  if(!svg){return;}
  var h=svg.getAttribute('data-height'), w=svg.getAttribute('data-width')*1;
  var axis=document.getElementById('gantt-axis');
  var x0=0, width=w, minutes=w/svg.getAttribute('data-scale');
  if(value!=='all'){
    var parts=value.split(':').map(Number), scale=svg.getAttribute('data-scale')*1;
    x0=parts[0]*scale; width=parts[1]*scale; minutes=parts[1];
  }
  svg.setAttribute('viewBox',[x0,0,width,h].join(' '));
  if(axis){
    axis.innerHTML='';
    var step=value==='all'?1440:120;
    for(var m=0;m<minutes;m+=step){
      var s=document.createElement('span');
      s.style.left=(100*m/minutes)+'%';
      s.textContent=value==='all'?axis.getAttribute('data-day-'+Math.round(m/1440)):(('0'+Math.floor(m/60)).slice(-2)+':00');
      axis.appendChild(s);
    }
  }
}
document.addEventListener('DOMContentLoaded',function(){
  var sel=document.getElementById('day');
  if(sel){sel.addEventListener('change',function(){showDay(sel.value);});showDay('all');}
});
"#;

/// What `frontier.html` (a sweep's cost–service frontier) draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// Title.
    pub title: String,
    /// Queue ids.
    pub queues: Vec<String>,
    /// Service-level target of each queue, when it has one.
    pub targets: Vec<Option<f64>>,
    /// The points, in sweep order.
    pub points: Vec<FrontierPoint>,
}

/// One point of the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// Its values, `KEY=VALUE, ...`.
    pub label: String,
    /// Cost of the plan.
    pub cost: f64,
    /// Paid agent-hours.
    pub paid_agent_hours: f64,
    /// Weekly service level per queue (queue order).
    pub service_level: Vec<Option<f64>>,
}

/// Width of chart plotting areas in SVG units.
const CHART_WIDTH: f64 = 1200.0;

fn table_html(table: &Table, class: &str) -> String {
    let mut out = format!("<div class=\"table-wrap\"><table class=\"{class}\"><thead><tr>");
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// Step-line path through `values` (one step per interval).
fn step_path(values: &[f64], x_of: impl Fn(usize) -> f64, y_of: impl Fn(f64) -> f64) -> String {
    let mut d = String::new();
    for (i, &v) in values.iter().enumerate() {
        let (x0, x1, y) = (x_of(i), x_of(i + 1), y_of(v));
        if i == 0 {
            let _ = write!(d, "M{x0:.1},{y:.1}");
        } else {
            let _ = write!(d, "V{y:.1}");
        }
        let _ = write!(d, "H{x1:.1}");
    }
    d
}

fn day_grid(data: &ReportData, x_of: &dyn Fn(usize) -> f64, top: f64, bottom: f64) -> String {
    let mut out = String::new();
    for (label, first, _, _) in &data.days {
        let x = x_of(*first);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 4.0,
            bottom + 14.0,
            escape(label)
        );
    }
    out
}

fn coverage_chart(data: &ReportData, queue: &QueueSeries) -> String {
    let n = queue.required.len().max(1);
    let (left, top, height) = (46.0, 10.0, 220.0);
    let peak = queue
        .required
        .iter()
        .chain(&queue.scheduled)
        .fold(1.0f64, |m, &v| m.max(v));
    let y_max = (peak * 1.1).ceil();
    let x_of = |i: usize| left + CHART_WIDTH * i as f64 / n as f64;
    let y_of = |v: f64| top + height * (1.0 - v / y_max);
    let mut svg = format!(
        "<svg class=\"chart coverage\" data-queue=\"{}\" data-points=\"{}\" viewBox=\"0 0 {} {}\" \
         role=\"img\" aria-label=\"required and scheduled agents for {}\">",
        escape(&queue.queue),
        queue.required.len(),
        left + CHART_WIDTH + 10.0,
        top + height + 24.0,
        escape(&queue.queue)
    );
    for k in 0..=4 {
        let v = y_max * f64::from(k) / 4.0;
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + CHART_WIDTH,
            left - 6.0,
            y + 4.0,
            fmt(v.round())
        );
    }
    svg.push_str(&day_grid(data, &x_of, top, top + height));
    let mut scheduled_area = step_path(&queue.scheduled, x_of, y_of);
    let _ = write!(scheduled_area, "V{:.1}H{:.1}Z", y_of(0.0), x_of(0));
    let _ = write!(
        svg,
        "<path class=\"scheduled\" data-series=\"scheduled\" data-values=\"{}\" d=\"{}\"/>",
        queue
            .scheduled
            .iter()
            .map(|v| fmt(*v))
            .collect::<Vec<_>>()
            .join(" "),
        scheduled_area
    );
    let _ = write!(
        svg,
        "<path class=\"required\" data-series=\"required\" data-values=\"{}\" d=\"{}\"/>",
        queue
            .required
            .iter()
            .map(|v| fmt(*v))
            .collect::<Vec<_>>()
            .join(" "),
        step_path(&queue.required, x_of, y_of)
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/></svg>",
        y_of(0.0),
        left + CHART_WIDTH,
        y_of(0.0)
    );
    svg
}

fn service_level_chart(data: &ReportData, queue: &QueueSeries) -> String {
    let n = queue.service_level.len().max(1);
    let (left, top, height) = (46.0, 10.0, 160.0);
    let x_of = |i: usize| left + CHART_WIDTH * (i as f64 + 0.5) / n as f64;
    let y_of = |v: f64| top + height * (1.0 - v.clamp(0.0, 1.0));
    let mut svg = format!(
        "<svg class=\"chart service-level\" data-queue=\"{}\" data-points=\"{}\" \
         data-target=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"service level for {}\">",
        escape(&queue.queue),
        queue.service_level.iter().filter(|v| v.is_some()).count(),
        queue.target.map(fmt).unwrap_or_default(),
        left + CHART_WIDTH + 10.0,
        top + height + 24.0,
        escape(&queue.queue)
    );
    for k in 0..=4 {
        let v = f64::from(k) / 4.0;
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}%</text>",
            left + CHART_WIDTH,
            left - 6.0,
            y + 4.0,
            k * 25
        );
    }
    let x_edge = |i: usize| left + CHART_WIDTH * i as f64 / n as f64;
    svg.push_str(&day_grid(data, &x_edge, top, top + height));
    // Polyline segments break where the queue is closed.
    let mut d = String::new();
    let mut pen_down = false;
    for (i, value) in queue.service_level.iter().enumerate() {
        match value {
            Some(v) => {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1}",
                    if pen_down { "L" } else { "M" },
                    x_of(i),
                    y_of(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = write!(
        svg,
        "<path class=\"sl\" data-series=\"service_level\" data-values=\"{}\" d=\"{d}\"/>",
        queue
            .service_level
            .iter()
            .map(|v| v
                .map(|x| crate::units::format_number(x, 4))
                .unwrap_or_else(|| "-".into()))
            .collect::<Vec<_>>()
            .join(" ")
    );
    if let Some(target) = queue.target {
        let y = y_of(target);
        let _ = write!(
            svg,
            "<line class=\"target\" data-series=\"target\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
            left + CHART_WIDTH
        );
    }
    if let Some(floor) = queue.floor {
        let y = y_of(floor);
        let _ = write!(
            svg,
            "<line class=\"target\" data-series=\"floor\" stroke-dasharray=\"2 3\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
            left + CHART_WIDTH
        );
    }
    svg.push_str("</svg>");
    svg
}

fn gantt_chart(data: &ReportData) -> String {
    let total_minutes = data
        .days
        .last()
        .map_or(0.0, |(_, _, start, length)| start + length);
    let scale = CHART_WIDTH / total_minutes.max(1.0);
    let row_height = 14.0;
    let height = row_height * data.gantt.len() as f64;
    let mut names = String::from("<div class=\"names\">");
    for agent in &data.gantt {
        let _ = write!(
            names,
            "<div title=\"{0} {1}\">{0} {1}</div>",
            escape(&agent.agent_id),
            escape(&agent.agent_name)
        );
    }
    names.push_str("</div>");
    let mut svg = format!(
        "<svg id=\"gantt\" class=\"chart gantt\" data-agents=\"{}\" data-shifts=\"{}\" \
         data-width=\"{CHART_WIDTH}\" data-height=\"{height}\" data-scale=\"{scale:.6}\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" preserveAspectRatio=\"none\" \
         style=\"height:{height}px\" role=\"img\" aria-label=\"roster\">",
        data.gantt.len(),
        data.gantt.iter().map(|r| r.shifts.len()).sum::<usize>()
    );
    for (_, _, start, length) in &data.days {
        let mut hour = 0.0;
        while hour < *length {
            let x = (start + hour) * scale;
            let class = if hour == 0.0 { "axis" } else { "grid" };
            let _ = write!(
                svg,
                "<line class=\"{class}\" x1=\"{x:.2}\" y1=\"0\" x2=\"{x:.2}\" y2=\"{height}\" \
                 vector-effect=\"non-scaling-stroke\"/>"
            );
            hour += 120.0;
        }
    }
    for (row, agent) in data.gantt.iter().enumerate() {
        let y = row_height * row as f64;
        let _ = write!(
            svg,
            "<g class=\"agent\" data-agent=\"{}\">",
            escape(&agent.agent_id)
        );
        for shift in &agent.shifts {
            let _ = write!(
                svg,
                "<rect class=\"shift\" x=\"{:.2}\" y=\"{:.1}\" width=\"{:.2}\" height=\"{:.1}\"><title>{}</title></rect>",
                shift.start * scale,
                y + 2.0,
                ((shift.end - shift.start) * scale).max(0.5),
                row_height - 4.0,
                escape(&shift.label)
            );
            for (b0, b1) in &shift.breaks {
                let _ = write!(
                    svg,
                    "<rect class=\"break\" x=\"{:.2}\" y=\"{:.1}\" width=\"{:.2}\" height=\"{:.1}\"/>",
                    b0 * scale,
                    y + 2.0,
                    ((b1 - b0) * scale).max(0.3),
                    row_height - 4.0
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    let mut axis =
        String::from("<div class=\"gantt-head\"><div class=\"names\"></div><div id=\"gantt-axis\"");
    for (k, (label, _, _, _)) in data.days.iter().enumerate() {
        let _ = write!(axis, " data-day-{k}=\"{}\"", escape(label));
    }
    axis.push_str("></div></div>");
    format!(
        "{axis}<div class=\"gantt-wrap\"><div class=\"gantt-grid\">{names}<div class=\"bars\">{svg}</div></div></div>"
    )
}

/// Renders the whole page.
pub fn render_html(data: &ReportData) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>\
         <header><h1>{}</h1><p>All times are local to {} · {}-minute intervals</p></header><main>",
        escape(&data.title),
        escape(&data.title),
        escape(&data.zone),
        data.interval_minutes
    );
    let _ = write!(
        html,
        "<section id=\"summary\"><h2>Summary</h2>{}",
        table_html(&data.summary, "summary")
    );
    if !data.notes.is_empty() {
        html.push_str("<ul class=\"notes\">");
        for note in &data.notes {
            let _ = write!(html, "<li>{}</li>", escape(note));
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>");
    html.push_str(
        "<section id=\"coverage\"><h2>Required vs scheduled agents</h2><p class=\"legend\">\
         <span style=\"background:#dc2626\"></span>required on the queue\
         <span style=\"background:#2563eb\"></span>scheduled on the queue (breaks excluded)</p>",
    );
    for queue in &data.queues {
        let _ = write!(
            html,
            "<h3>{}</h3>{}",
            escape(&queue.queue),
            coverage_chart(data, queue)
        );
    }
    html.push_str("</section>");
    html.push_str(
        "<section id=\"service-level\"><h2>Predicted service level</h2><p class=\"legend\">\
         <span style=\"background:#059669\"></span>predicted per interval\
         <span style=\"background:#b91c1c\"></span>target</p>",
    );
    for queue in data.queues.iter().filter(|q| q.target.is_some()) {
        let _ = write!(
            html,
            "<h3>{}</h3>{}",
            escape(&queue.queue),
            service_level_chart(data, queue)
        );
    }
    html.push_str("</section>");
    if !data.gantt.is_empty() {
        html.push_str(
            "<section id=\"roster\"><h2>Roster</h2><p class=\"legend\">\
             <span style=\"background:#3b82f6;height:8px\"></span>shift\
             <span style=\"background:#fbbf24;height:8px\"></span>break · day: \
             <select id=\"day\"><option value=\"all\">whole week</option>",
        );
        for (label, _, start, length) in &data.days {
            let _ = write!(
                html,
                "<option value=\"{start}:{length}\">{}</option>",
                escape(label)
            );
        }
        let _ = write!(
            html,
            "</select> · hover a bar for its times</p>{}</section>",
            gantt_chart(data)
        );
    }
    if let Some(table) = &data.whatif {
        let _ = write!(
            html,
            "<section id=\"whatif\"><h2>What-if</h2>{}</section>",
            table_html(table, "whatif")
        );
    }
    if let Some(table) = &data.forecast_accuracy {
        let _ = write!(
            html,
            "<section id=\"forecast-accuracy\"><h2>Forecast accuracy (backtest)</h2>{}</section>",
            table_html(table, "accuracy")
        );
    }
    html.push_str("</main></body></html>\n");
    html
}

/// A scatter chart of `(x, y, label)` points with labelled axes; `x_target` draws a dashed
/// vertical line (the service-level target). With `efficient_line`, a line joins the efficient
/// points (more x for less y: no other point has as much x for no more y), the frontier a
/// manager chooses on; points off it are dominated (a two-key sweep has many).
fn scatter_chart(
    class: &str,
    points: &[(f64, f64, String)],
    (x_name, y_name): (&str, &str),
    x_target: Option<f64>,
    efficient_line: bool,
) -> String {
    let (width, height, left, bottom, top, right) = (900.0, 420.0, 80.0, 50.0, 20.0, 200.0);
    let span = |values: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi - lo < 1e-9 {
            (lo - 1.0, hi + 1.0)
        } else {
            let pad = (hi - lo) * 0.08;
            (lo - pad, hi + pad)
        }
    };
    let (x_lo, x_hi) = span(&mut points.iter().map(|p| p.0).chain(x_target));
    let (y_lo, y_hi) = span(&mut points.iter().map(|p| p.1));
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x_of = |x: f64| left + (x - x_lo) / (x_hi - x_lo) * plot_w;
    let y_of = |y: f64| top + (1.0 - (y - y_lo) / (y_hi - y_lo)) * plot_h;
    let mut svg = format!(
        "<svg class=\"chart {class}\" data-points=\"{}\" viewBox=\"0 0 {width} {height}\">",
        points.len()
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
         <line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\"/>",
        top + plot_h,
        left + plot_w,
        top + plot_h,
        top + plot_h
    );
    for k in 0..=4 {
        let x = x_lo + (x_hi - x_lo) * f64::from(k) / 4.0;
        let y = y_lo + (y_hi - y_lo) * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
             <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            fmt(x_of(x)),
            fmt(top + plot_h + 16.0),
            fmt(x),
            fmt(left - 6.0),
            fmt(y_of(y) + 4.0),
            fmt(y)
        );
    }
    let _ = write!(
        svg,
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text class=\"tick\" x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" \
         text-anchor=\"middle\">{}</text>",
        fmt(left + plot_w / 2.0),
        fmt(height - 8.0),
        escape(x_name),
        fmt(top + plot_h / 2.0),
        fmt(top + plot_h / 2.0),
        escape(y_name)
    );
    if let Some(t) = x_target {
        let _ = write!(
            svg,
            "<line class=\"target\" data-series=\"target\" x1=\"{0}\" y1=\"{top}\" \
             x2=\"{0}\" y2=\"{1}\"/>",
            fmt(x_of(t)),
            fmt(top + plot_h)
        );
    }
    if efficient_line {
        let efficient: Vec<&(f64, f64, String)> = efficient_points(points);
        let path: Vec<String> = efficient
            .iter()
            .map(|p| format!("{},{}", fmt(x_of(p.0)), fmt(y_of(p.1))))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"frontier-line\" data-efficient=\"{}\" points=\"{}\"/>",
            efficient.len(),
            path.join(" ")
        );
    }
    for (x, y, label) in points {
        let _ = write!(
            svg,
            "<circle class=\"point\" data-label=\"{0}\" cx=\"{1}\" cy=\"{2}\" r=\"5\">\
             <title>{0}: {3} {4}, {5} {6}</title></circle>\
             <text class=\"point-label\" x=\"{7}\" y=\"{8}\">{0}</text>",
            escape(label),
            fmt(x_of(*x)),
            fmt(y_of(*y)),
            escape(x_name),
            fmt(*x),
            escape(y_name),
            fmt(*y),
            fmt(x_of(*x) + 8.0),
            fmt(y_of(*y) - 6.0)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The points no other point dominates (as much `x` or more for as little `y` or less, one of
/// them strictly), in increasing `x`.
fn efficient_points(points: &[(f64, f64, String)]) -> Vec<&(f64, f64, String)> {
    let mut ordered: Vec<&(f64, f64, String)> = points.iter().collect();
    // Most x first; among equal x, least y first.
    ordered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
    let mut efficient = Vec::new();
    let mut least_y = f64::INFINITY;
    for p in ordered {
        if p.1 < least_y - 1e-9 {
            least_y = p.1;
            efficient.push(p);
        }
    }
    efficient.reverse();
    efficient
}

/// `frontier.html`: one self-contained page (no network) with cost against each queue's
/// weekly service level and cost against paid agent-hours, every point labelled, and the
/// points as a table.
pub fn render_frontier_html(data: &Frontier) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{0} — cost–service frontier</title><style>{STYLE}\
         .point{{fill:#2563eb}}.point-label{{font-size:11px;fill:#334155}}\
         .frontier-line{{fill:none;stroke:#93c5fd;stroke-width:1.5}}</style></head><body>\
         <header><h1>{0}</h1><p>Cost–service frontier: {1} points</p></header><main>",
        escape(&data.title),
        data.points.len()
    );
    for (q, queue) in data.queues.iter().enumerate() {
        let points: Vec<(f64, f64, String)> = data
            .points
            .iter()
            .filter_map(|p| p.service_level[q].map(|sl| (sl * 100.0, p.cost, p.label.clone())))
            .collect();
        if points.is_empty() {
            continue;
        }
        let _ = write!(
            html,
            "<section id=\"frontier-{0}\"><h2>Cost against {0}'s weekly service level</h2>{1}\
             </section>",
            escape(queue),
            scatter_chart(
                "frontier",
                &points,
                (&format!("{queue} weekly service level (%)"), "cost"),
                data.targets[q].map(|t| t * 100.0),
                true,
            )
        );
    }
    let hours: Vec<(f64, f64, String)> = data
        .points
        .iter()
        .map(|p| (p.paid_agent_hours, p.cost, p.label.clone()))
        .collect();
    let _ = write!(
        html,
        "<section id=\"frontier-hours\"><h2>Cost against paid agent-hours</h2>{}</section>",
        scatter_chart(
            "frontier-hours",
            &hours,
            ("paid agent-hours", "cost"),
            None,
            false
        )
    );
    let mut table = Table {
        header: vec!["point".into(), "cost".into(), "paid agent-hours".into()],
        rows: Vec::new(),
    };
    table
        .header
        .extend(data.queues.iter().map(|q| format!("{q} weekly SL")));
    for p in &data.points {
        let mut row = vec![p.label.clone(), fmt(p.cost), fmt(p.paid_agent_hours)];
        row.extend(
            p.service_level
                .iter()
                .map(|sl| sl.map_or_else(|| "-".into(), |v| format!("{:.1} %", v * 100.0))),
        );
        table.rows.push(row);
    }
    let _ = writeln!(
        html,
        "<section id=\"points\"><h2>Points</h2>{}</section></main></body></html>",
        table_html(&table, "points")
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_line_joins_exactly_the_undominated_points() {
        // A two-key sweep's grid of (service level, cost) points, some dominated.
        let raw = [
            (80.0, 100.0),
            (85.0, 100.0),
            (85.0, 120.0),
            (90.0, 110.0),
            (88.0, 130.0),
            (95.0, 140.0),
            (95.0, 150.0),
            (70.0, 90.0),
        ];
        let points: Vec<(f64, f64, String)> = raw
            .iter()
            .enumerate()
            .map(|(k, &(x, y))| (x, y, format!("p{k}")))
            .collect();
        let line: Vec<&str> = efficient_points(&points)
            .iter()
            .map(|p| p.2.as_str())
            .collect();
        // By brute force: undominated = no other point with x ≥ and y ≤, one strictly.
        let mut expected: Vec<&(f64, f64, String)> = points
            .iter()
            .filter(|p| {
                !points
                    .iter()
                    .any(|q| q.0 >= p.0 && q.1 <= p.1 && (q.0 > p.0 || q.1 < p.1))
            })
            .collect();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0));
        let expected: Vec<&str> = expected.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(line, expected);
        assert_eq!(line, ["p7", "p1", "p3", "p5"]);
    }

    fn sample() -> ReportData {
        ReportData {
            title: "Test <plan>".into(),
            zone: "America/New_York".into(),
            interval_labels: vec!["Mon 00:00".into(); 4],
            interval_minutes: 360,
            days: vec![("Mon 26".into(), 0, 0.0, 1440.0)],
            summary: Table {
                header: vec!["figure".into(), "value".into()],
                rows: vec![vec!["cost".into(), "100".into()]],
            },
            queues: vec![QueueSeries {
                queue: "voice".into(),
                required: vec![1.0, 3.0, 2.0, 0.0],
                scheduled: vec![1.0, 3.0, 3.0, 0.0],
                service_level: vec![Some(0.9), Some(0.8), Some(0.95), None],
                target: Some(0.8),
                floor: None,
            }],
            gantt: vec![GanttRow {
                agent_id: "A1".into(),
                agent_name: "<script>alert(1)</script>".into(),
                shifts: vec![GanttShift {
                    start: 360.0,
                    end: 840.0,
                    breaks: vec![(600.0, 630.0)],
                    label: "Mon 06:00-14:00".into(),
                }],
            }],
            whatif: None,
            forecast_accuracy: None,
            notes: vec![],
        }
    }

    #[test]
    fn untrusted_names_are_escaped() {
        let html = render_html(&sample());
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Test &lt;plan&gt;"));
    }

    #[test]
    fn charts_carry_their_data() {
        let html = render_html(&sample());
        assert!(html.contains("data-series=\"required\" data-values=\"1 3 2 0\""));
        assert!(html.contains("data-series=\"service_level\" data-values=\"0.9 0.8 0.95 -\""));
        assert!(html.contains("data-agents=\"1\" data-shifts=\"1\""));
        assert!(html.contains("class=\"break\""));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn step_path_visits_every_interval() {
        let d = step_path(&[1.0, 2.0], |i| i as f64 * 10.0, |v| v);
        assert_eq!(d, "M0.0,1.0H10.0V2.0H20.0");
    }
}
