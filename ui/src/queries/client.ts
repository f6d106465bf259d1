// The query client: data comes from the local cache, so it is fresh until the backend says it
// changed (staleTime Infinity); queries nobody shows are dropped after a minute.

import { QueryClient } from "@tanstack/solid-query";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        gcTime: 60_000,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  });
}
