import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useTranslation } from 'react-i18next';
import { router } from './router';
import { ApiError, setUnauthorizedHandler } from '../api/client';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// A 401 on an authenticated call: the session ended (idle timeout, sign-out elsewhere) — back to sign-in.
setUnauthorizedHandler(() => {
  if (window.location.pathname.startsWith('/login')) return;
  // Navigate first: clearing "me" while the layout is mounted would redirect without the reason.
  void router
    .navigate(`/login?reason=expired&next=${encodeURIComponent(window.location.pathname)}`, { replace: true })
    .then(() => queryClient.removeQueries());
});

export function App() {
  const { i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';
  dayjs.locale(zh ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={{ token: { colorPrimary: '#1f5fbf', borderRadius: 4 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
