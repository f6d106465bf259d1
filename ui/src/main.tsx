import { render } from "solid-js/web";
import { App } from "./app/App";
import { createAppState } from "./app/state";
import { createQueryClient } from "./queries/client";

const root = document.getElementById("app");
if (root) render(() => <App state={createAppState()} client={createQueryClient()} />, root);
