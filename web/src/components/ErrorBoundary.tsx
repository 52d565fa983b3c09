import { Component, type ReactNode } from "react";

interface State {
  failed: boolean;
}

/** If a page crashes while rendering, show a way back instead of a blank screen. Reset by changing `resetKey`. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidUpdate(prev: { resetKey: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="state state--error" role="alert">
        <h1 className="state__title" tabIndex={-1}>
          This page ran into a problem
        </h1>
        <p className="state__body">
          Reload the page to try again. If it keeps happening, tell your licensepool contact what you were doing.
        </p>
        <button type="button" className="button button--secondary" onClick={() => window.location.reload()}>
          Reload page
        </button>
      </div>
    );
  }
}
