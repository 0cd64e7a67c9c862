// A button that copies a text to the clipboard and says, beside it and to a screen reader, whether it did. Where
// the clipboard refuses (no permission, an old host), it says how to copy by hand instead.
import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CopyRegular } from "@fluentui/react-icons";
import { useState } from "react";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

export interface CopyButtonProps {
  readonly text: string;
  readonly label: string;
  /** Said once copied, e.g. "Subject copied." */
  readonly copiedNote: string;
  /** What the user can copy by hand when the clipboard refuses, e.g. "the subject". */
  readonly what: string;
  readonly size?: "small" | "medium";
}

export function CopyButton(props: CopyButtonProps) {
  const styles = useStyles();
  const [note, setNote] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setNote(props.copiedNote);
    } catch {
      setNote(`Could not copy: select ${props.what} and copy it yourself.`);
    }
  };
  return (
    <div className={styles.row}>
      <Button size={props.size ?? "medium"} icon={<CopyRegular />} onClick={() => void copy()}>
        {props.label}
      </Button>
      <Text size={200} aria-live="polite">
        {note ?? ""}
      </Text>
    </div>
  );
}
