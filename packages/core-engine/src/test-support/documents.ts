/**
 * A Markdown deployment guide with headings, links, an e-mail address,
 * inline code, a shell and a Python code block and a four-row table.
 */
export const DEPLOYMENT_GUIDE = `# Deployment guide

This guide explains how to deploy the reporting service to a new server. Read the [installation notes](https://docs.example.com/reporting/install?version=2.4#prerequisites) before you start. The service needs about two gigabytes of memory and a recent Linux kernel.

## Prerequisites

Install the runtime and the database client first. The commands below work on Debian and Ubuntu.

\`\`\`sh
sudo apt-get update
sudo apt-get install -y postgresql-client nodejs
node --version
\`\`\`

You also need an account on the package registry. Ask the platform team at <platform@example.com> for access.

## Configuration

The service reads its settings from environment variables. The table lists the ones you must set.

| Variable | Meaning | Example |
|----------|---------|---------|
| \`DATABASE_URL\` | Connection string of the reporting database | \`postgres://report@db:5432/report\` |
| \`PORT\` | Port the HTTP server listens on | \`8080\` |
| \`LOG_LEVEL\` | Minimum level of log records | \`info\` |
| \`CACHE_TTL\` | Seconds a cached report stays valid | \`300\` |

A small Python script checks the settings before the first start.

\`\`\`python
import os

REQUIRED = ["DATABASE_URL", "PORT", "LOG_LEVEL", "CACHE_TTL"]
missing = [name for name in REQUIRED if name not in os.environ]
if missing:
    raise SystemExit(f"missing settings: {', '.join(missing)}")
print("configuration looks complete")
\`\`\`

## Operation

Restart the service after every change of the settings. Logs go to the system journal, and the \`journalctl -u reporting\` command shows them. See [the troubleshooting page](https://docs.example.com/reporting/troubleshooting) when a report fails to render.
`;

/**
 * Sentences of a checkpoint log that mix plates, permit ids, dates,
 * times and amounts. Joined with single spaces they form one paragraph.
 */
export const CHECKPOINT_SENTENCES = [
  "Vehicle KX-4471-B was stopped at the northern checkpoint on 2024-03-09 at 07:42.",
  "The driver paid a toll of $85.50 and presented permit T-00981-Z, which was valid until 2024-12-31.",
  "A second vehicle with plate MN-2210-Q was waved through because its permit number AB12345 was on the approved list.",
  "Officers recorded a fine of $120.00 for a missing reflective vest.",
  "The shift supervisor signed the log at 08:15 and sent it to the regional office.",
  "Weather was clear, with light traffic on both lanes of the highway.",
  "Inspection notes were filed under case 2024-0387 in the central register.",
] as const;

/** The ids, plates, dates and amounts that occur in the checkpoint log. */
export const CHECKPOINT_VALUES = [
  "KX-4471-B",
  "2024-03-09",
  "$85.50",
  "T-00981-Z",
  "2024-12-31",
  "MN-2210-Q",
  "AB12345",
  "$120.00",
  "2024-0387",
] as const;

/**
 * Paragraphs of a quarterly expense report, followed by the closing
 * instruction {@link REPORT_INSTRUCTION} in its own paragraph.
 */
export const EXPENSE_REPORT_PARAGRAPHS = [
  "Quarterly expense report for the northern warehouse, prepared by the finance office for the regional director. It covers January to March and compares each cost line with the budget agreed in December.",
  "Freight costs rose to $14,200 in January because two carriers raised their diesel surcharges. Storage fees stayed at $3,150 a month under the lease signed in 2022. Overtime in February reached 310 hours while the team cleared a backlog of returns from the holiday season.",
  "The forklift fleet needed $2,480 of repairs after a hydraulic failure on line 4. Packaging supplies cost $1,920, slightly below the budget of $2,000. Utility bills came to $4,075 for the quarter, driven by heating in January and a cold spell in early February.",
  "Insurance premiums were paid in advance for the year and total $9,600. Temporary staff from the agency cost $6,340 during the March peak. Security services were renewed at the same monthly rate of $780, and the contract now includes weekend patrols.",
  "The warehouse manager notes that the new racking in aisle 7 was delivered late, so the installation cost will appear in the next quarter. Two pallets of damaged stock were written off at a value of $1,150. The insurer has been informed and a claim is pending.",
  "The total for the quarter is $48,915, compared with $45,230 last quarter. Most of the increase comes from freight and temporary staff. The finance office recommends renegotiating the carrier contracts before the summer.",
] as const;

/** The closing instruction of the expense report. */
export const REPORT_INSTRUCTION =
  'Reply "APPROVED" if the figures match, otherwise reply "REJECTED".';

/**
 * Paragraphs of Chinese prose without spaces; sentences end only with
 * `。`, and commas (`，`) separate clauses.
 */
export const CHINESE_PARAGRAPHS = [
  "今天天气很好，阳光明媚，我们决定去公园散步。公园里有很多人在锻炼身体，有的跑步，有的打太极拳。孩子们在草地上玩耍，笑声不断。我们沿着湖边走了一圈，看到了很多美丽的花朵。中午的时候，我们在附近的小餐馆吃了午饭。下午我们回家休息，感觉非常愉快。",
  "这座城市的图书馆去年进行了翻修，增加了很多新的阅览室。每天早上八点开门，晚上九点关门。周末的时候，图书馆会举办各种讲座和读书会。很多学生喜欢在这里复习功课，因为环境安静，光线充足。图书馆还提供免费的无线网络和电脑服务。市民只需要身份证就可以办理借书卡。",
  "春节是中国最重要的传统节日之一，家家户户都会贴春联，挂灯笼。除夕晚上，全家人聚在一起吃年夜饭，看春节联欢晚会。孩子们最喜欢收到长辈给的红包。初一早上，人们穿上新衣服，去亲戚朋友家拜年。很多城市还会举办庙会，有舞龙舞狮等传统表演。节日期间，火车站和机场总是非常拥挤。",
  "这家工厂主要生产汽车零件，每年的产量超过五十万件。工厂有三条自动化生产线，全部由电脑控制。为了保证质量，每个零件在出厂前都要经过严格的检验。去年工厂引进了新的环保设备，大大减少了废水和废气的排放。工人们每天工作八个小时，实行两班倒制度。公司计划明年在南方再建一个新工厂。",
] as const;
