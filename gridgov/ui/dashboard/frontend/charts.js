/* The parts of ECharts the dashboard draws, and nothing more: bar, line, pie and funnel series on a canvas,
   with grid (cartesian axes), tooltip (and its axis pointer) and a plain legend. board.js finds it as
   window.echarts and calls only init(). Built by `npm run build` (esbuild) into frontend-build/, which is
   git-ignored; when board.js starts using another chart type or component, add it here. */
import { init, use } from "echarts/core";
import { BarChart, FunnelChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendPlainComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, PieChart, FunnelChart, GridComponent, TooltipComponent, LegendPlainComponent, CanvasRenderer]);

window.echarts = { init: init };
