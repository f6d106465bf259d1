import { render } from "solid-js/web";
import { App } from "./app/App";
import { createAppState } from "./app/state";
import { createQueryClient } from "./queries/client";

const root = document.getElementById("app");
// Made here, once: as JSX props they would be made again on every read.
const state = createAppState();
const client = createQueryClient();
if (root) render(() => <App state={state} client={client} />, root);
