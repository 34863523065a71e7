import type { Metadata, Viewport } from 'next';
import { DisplayProvider } from '@/components/display/display-provider';
import { getDisplay } from '@/lib/display/request';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'WellView Dashboard', template: '%s · WellView Dashboard' },
  description: 'WellView wells, Engagifii events and METI emission sources in one place.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Pages format numbers and dates in this setting on the server and while hydrating.
  const display = await getDisplay();
  return (
    <html lang={display.locale}>
      <body className="min-h-screen">
        <DisplayProvider value={display}>{children}</DisplayProvider>
      </body>
    </html>
  );
}
