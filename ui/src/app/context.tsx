// The app state, handed to every screen (tests give their own).

import { type JSX, createContext, useContext } from "solid-js";
import type { AppState } from "./state";

const AppContext = createContext<AppState>();

export function AppProvider(props: { state: AppState; children: JSX.Element }): JSX.Element {
  return <AppContext.Provider value={props.state}>{props.children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error("useApp outside AppProvider");
  return app;
}
