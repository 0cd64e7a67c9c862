// Results: what each technique earned in the user's own mailbox, and the user's follow-up curve. Each chart is a
// small plain SVG with a table beside it as its text alternative; every rate shows the counts behind it, and
// below MIN_SENT sent it says "not enough data". Built for 320-450 px: one column, nothing wider than the pane.
import { Caption1, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMemo } from "react";
import type { Instant, Mailbox } from "../../core/message";
import { formatHours, resultsOf, type FollowUpStep, type TechniqueResult } from "../../core/results";
import type { Settings } from "../../core/settings";
import { TECHNIQUE_LABELS } from "../../core/technique";
import type { UserState } from "../../core/userState";
import type { SentRecord } from "../../core/userStateEntries";

const useStyles = makeStyles({
  root: {
    display: "grid",
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    minWidth: 0,
  },
  section: { display: "grid", gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { margin: 0 },
  secondary: { color: tokens.colorNeutralForeground2 },
  figure: {
    margin: 0,
    display: "grid",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
  },
  caption: { fontWeight: tokens.fontWeightSemibold },
  // Drawn for a narrow pane: a wide one shows it at about that size, not with its words three times as large.
  chart: { width: "100%", maxWidth: "360px", height: "auto", display: "block" },
  bar: { fill: tokens.colorBrandBackground, "@media (forced-colors: active)": { fill: "CanvasText" } },
  track: {
    fill: tokens.colorNeutralBackground3,
    "@media (forced-colors: active)": { fill: "Canvas", stroke: "CanvasText" },
  },
  claim: {
    stroke: tokens.colorPaletteRedForeground1,
    strokeWidth: 2,
    strokeDasharray: "3 2",
    "@media (forced-colors: active)": { stroke: "CanvasText" },
  },
  chartText: { fill: tokens.colorNeutralForeground1, fontSize: "11px" },
  table: {
    width: "100%",
    borderCollapse: "collapse",
    tableLayout: "fixed",
    fontSize: tokens.fontSizeBase200,
    "& th, & td": {
      textAlign: "left",
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      overflowWrap: "anywhere",
      verticalAlign: "top",
    },
    "& th": { fontWeight: tokens.fontWeightSemibold },
  },
  num: { textAlign: "right" },
  tableCaption: { textAlign: "left", captionSide: "bottom", color: tokens.colorNeutralForeground2 },
});

export interface ResultsViewProps {
  readonly mailbox: Mailbox | null;
  readonly sentRecords: readonly SentRecord[];
  readonly settings: Settings;
  readonly userState: UserState;
  readonly timeZone: string;
  readonly locale: string;
  readonly now: () => Instant;
}

const percent = (share: number | null): string => (share === null ? "–" : `${Math.round(share * 100)}%`);
const notEnough = (min: number) => `not enough data (fewer than ${min} sent)`;

/** Horizontal bars (0–100%), one per row, with an optional claim marker; the table beside it says the same. */
function BarChart(props: {
  readonly label: string;
  readonly rows: readonly { readonly name: string; readonly share: number | null; readonly claim?: number }[];
}) {
  const styles = useStyles();
  const rowHeight = 22;
  const labelWidth = 92;
  const width = 300;
  const barWidth = width - labelWidth - 40;
  return (
    <svg
      className={styles.chart}
      viewBox={`0 0 ${width} ${props.rows.length * rowHeight + 4}`}
      role="img"
      aria-label={props.label}
      focusable="false"
    >
      {props.rows.map((row, i) => {
        const y = i * rowHeight + 2;
        const share = row.share ?? 0;
        return (
          <g key={row.name}>
            <text className={styles.chartText} x={0} y={y + 14}>
              {row.name}
            </text>
            <rect className={styles.track} x={labelWidth} y={y + 3} width={barWidth} height={14} rx={2} />
            <rect
              className={styles.bar}
              x={labelWidth}
              y={y + 3}
              width={Math.max(0, Math.min(1, share)) * barWidth}
              height={14}
              rx={2}
            />
            {row.claim !== undefined && (
              <line
                className={styles.claim}
                x1={labelWidth + row.claim * barWidth}
                x2={labelWidth + row.claim * barWidth}
                y1={y}
                y2={y + rowHeight - 2}
              />
            )}
            <text className={styles.chartText} x={labelWidth + barWidth + 4} y={y + 14}>
              {row.share === null ? "–" : percent(row.share)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function TechniqueFigure(props: { readonly result: TechniqueResult; readonly min: number }) {
  const styles = useStyles();
  const t = props.result;
  const label = TECHNIQUE_LABELS[t.technique];
  const captionId = `results-${t.technique}`;
  const claim = t.claim;
  const rows = [
    { name: "Answered", share: t.answerRate },
    { name: "Within 48 h", share: t.share48h, ...(claim?.withinHours === 48 ? { claim: claim.share } : {}) },
    { name: "Within 72 h", share: t.share72h, ...(claim?.withinHours === 72 ? { claim: claim.share } : {}) },
  ];
  // Inserts and drafts not (yet) found among the sent mail; more can be found sent than recorded (older mail).
  const unsent = Math.max(0, t.recorded - t.sent - t.waiting);
  const summary =
    `${label}: ${t.answered} of ${t.sent} answered (${percent(t.answerRate)}), ` +
    `${percent(t.share48h)} within 48 hours, ${percent(t.share72h)} within 72 hours` +
    (claim ? `; the article claims ${percent(claim.share)} within ${claim.withinHours} hours.` : ".");
  return (
    <figure className={styles.figure} aria-labelledby={captionId} data-testid={`results-${t.technique}`}>
      <figcaption id={captionId} className={styles.caption}>
        {label}
      </figcaption>
      {t.enoughData && <BarChart label={summary} rows={rows} />}
      <table className={styles.table}>
        <caption className={styles.tableCaption}>
          {t.enoughData ? `${label} in figures` : notEnough(props.min)}
        </caption>
        <tbody>
          <tr>
            <th scope="row">Sent</th>
            <td className={styles.num}>{t.sent}</td>
          </tr>
          <tr>
            <th scope="row">Answered</th>
            <td className={styles.num}>
              {t.enoughData ? `${t.answered} (${percent(t.answerRate)})` : String(t.answered)}
            </td>
          </tr>
          {t.enoughData && (
            <>
              <tr>
                <th scope="row">Median time to answer</th>
                <td className={styles.num}>{formatHours(t.medianHoursToAnswer)}</td>
              </tr>
              <tr>
                <th scope="row">Within 48 h</th>
                <td className={styles.num}>{`${t.within48h} (${percent(t.share48h)})`}</td>
              </tr>
              <tr>
                <th scope="row">Within 72 h</th>
                <td className={styles.num}>{`${t.within72h} (${percent(t.share72h)})`}</td>
              </tr>
              <tr>
                <th scope="row">What they said</th>
                <td className={styles.num}>
                  {`${t.said.positive} positive or neutral, ${t.said.later} later, ${t.said.declined} declined, ${t.said.left} left`}
                </td>
              </tr>
              <tr>
                <th scope="row">Answered, then quiet again</th>
                <td className={styles.num}>{t.wentDarkAgain}</td>
              </tr>
            </>
          )}
          {claim && (
            <tr>
              <th scope="row">The article's claim</th>
              <td className={styles.num}>{`${percent(claim.share)} within ${claim.withinHours} h`}</td>
            </tr>
          )}
          {t.waiting > 0 && (
            <tr>
              <th scope="row">Sent in the last 72 h, waiting</th>
              <td className={styles.num}>{t.waiting}</td>
            </tr>
          )}
          {unsent > 0 && (
            // A draft just made reads "Sent 0" otherwise, as if Rekindle had lost it.
            <tr>
              <th scope="row">Made with Rekindle, not sent yet</th>
              <td className={styles.num}>{unsent}</td>
            </tr>
          )}
        </tbody>
      </table>
    </figure>
  );
}

function FollowUpFigure(props: { readonly steps: readonly FollowUpStep[]; readonly min: number }) {
  const styles = useStyles();
  const enough = props.steps.filter((s) => s.enoughData);
  const summary =
    "Your follow-up curve: " +
    props.steps
      .map((s) => `${s.label} follow-up ${s.enoughData ? percent(s.answerRate) : "not enough data"}`)
      .join(", ") +
    ".";
  return (
    <figure className={styles.figure} aria-labelledby="results-curve" data-testid="results-curve">
      <figcaption id="results-curve" className={styles.caption}>
        How often a follow-up drew an answer
      </figcaption>
      {enough.length > 0 && (
        <BarChart
          label={summary}
          rows={props.steps.map((s) => ({
            name: `${s.label} follow-up`,
            share: s.enoughData ? s.answerRate : null,
          }))}
        />
      )}
      <table className={styles.table}>
        <caption className={styles.tableCaption}>
          {`Rates below ${props.min} sent read “not enough data”.`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Follow-up</th>
            <th scope="col" className={styles.num}>
              Sent
            </th>
            <th scope="col" className={styles.num}>
              Answered
            </th>
            <th scope="col" className={styles.num}>
              Median
            </th>
          </tr>
        </thead>
        <tbody>
          {props.steps.map((s) => (
            <tr key={s.step}>
              <th scope="row">{s.label}</th>
              <td className={styles.num}>{s.sent}</td>
              <td className={styles.num}>
                {s.enoughData ? `${s.answered} (${percent(s.answerRate)})` : `${s.answered}, not enough data`}
              </td>
              <td className={styles.num}>{s.enoughData ? formatHours(s.medianHoursToAnswer) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function ResultsView(props: ResultsViewProps) {
  const styles = useStyles();
  const { mailbox, sentRecords, settings, userState, timeZone, locale, now } = props;
  const results = useMemo(
    () =>
      mailbox ? resultsOf(mailbox, sentRecords, { now: now(), settings, userState, timeZone, locale }) : null,
    [mailbox, sentRecords, settings, userState, timeZone, locale, now],
  );
  if (!results) {
    return (
      <div className={styles.root}>
        <Text>Results appear once your mail has synced.</Text>
      </div>
    );
  }
  const used = results.techniques.filter((t) => t.sent > 0 || t.waiting > 0 || t.recorded > 0);
  const unused = results.techniques.filter((t) => !used.includes(t));
  return (
    <div className={styles.root} data-testid="results-view">
      <section className={styles.section} aria-labelledby="results-techniques">
        <Subtitle2 as="h2" id="results-techniques" className={styles.heading}>
          What each technique earned
        </Subtitle2>
        <Caption1 className={styles.secondary}>
          Counted from your own mailbox, on this device. A message counts once it is answered or 72 hours old.
          An answer belongs to the message just before it. Automatic replies do not count.
        </Caption1>
        {used.map((t) => (
          <TechniqueFigure key={t.technique} result={t} min={results.minSent} />
        ))}
        {unused.length > 0 && (
          <Text size={200} className={styles.secondary}>
            {`Not used yet: ${unused.map((t) => TECHNIQUE_LABELS[t.technique]).join(", ")}.`}
          </Text>
        )}
      </section>
      <section className={styles.section} aria-labelledby="results-followups">
        <Subtitle2 as="h2" id="results-followups" className={styles.heading}>
          Your follow-up curve
        </Subtitle2>
        <Caption1 className={styles.secondary}>
          {`Every conversation of the last ${settings.windowDays} days (Look back in Settings), mail from before Rekindle included: your 1st, 2nd, 3rd and later follow-up in a row without an answer.`}
        </Caption1>
        <FollowUpFigure steps={results.followUps} min={results.minSent} />
      </section>
    </div>
  );
}
