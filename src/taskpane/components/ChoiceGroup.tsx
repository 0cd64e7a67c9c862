// A group of checkboxes labelled like any other settings field: a fieldset whose legend is the field's label, with
// its help text and its problem below, both read out with the group. The weekday and folder pickers share it.
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId, type ReactNode } from "react";

const useStyles = makeStyles({
  group: {
    display: "grid",
    gap: tokens.spacingVerticalXXS,
    margin: 0,
    padding: 0,
    border: "none",
    minWidth: 0,
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  hint: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface ChoiceGroupProps {
  readonly label: string;
  readonly help: string;
  readonly problem: string | undefined;
  /** The checkboxes, and anything said about them (a spinner, "no folders"), between the legend and the help. */
  readonly children: ReactNode;
}

export function ChoiceGroup({ label, help, problem, children }: ChoiceGroupProps) {
  const styles = useStyles();
  const hintId = useId();
  const problemId = useId();
  return (
    <fieldset
      className={styles.group}
      aria-describedby={problem ? `${problemId} ${hintId}` : hintId}
      aria-invalid={problem ? true : undefined}
    >
      <legend className={styles.legend}>
        <Text>{label}</Text>
      </legend>
      {children}
      <Text size={200} id={hintId} className={styles.hint}>
        {help}
      </Text>
      {problem && (
        <Text size={200} id={problemId} className={styles.error}>
          {problem}
        </Text>
      )}
    </fieldset>
  );
}
