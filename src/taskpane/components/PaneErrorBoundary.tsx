// A render error (a bad template, unexpected data) shows what happened and a way back, never a blank pane.
import { Button, MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { Component, type ErrorInfo, type ReactNode } from "react";

export interface PaneErrorBoundaryProps {
  readonly children: ReactNode;
  /** Where "Back" leads, e.g. the conversation list; called before the children render again. */
  readonly onReset: () => void;
  readonly backLabel?: string;
}

interface State {
  readonly error: Error | null;
}

export class PaneErrorBoundary extends Component<PaneErrorBoundaryProps, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The stack helps a developer; it holds no mail or token.
    console.error("Rekindle could not show this view:", error, info.componentStack);
  }

  private readonly reset = () => {
    this.props.onReset();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" style={{ padding: 12 }}>
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Something went wrong showing this view</MessageBarTitle>
            {`${error.message} Your settings, templates and snoozes are unchanged.`}
          </MessageBarBody>
        </MessageBar>
        <Button appearance="primary" style={{ marginTop: 12 }} onClick={this.reset}>
          {this.props.backLabel ?? "Back to conversations"}
        </Button>
      </div>
    );
  }
}
