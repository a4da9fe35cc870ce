/**
 * The report's only script, inlined: the step table (rows drawn from the page's JSON
 * data, only those in view, sorted and filtered in memory) and jumping from a bar or
 * a graph node to the step's details. Run data reaches the DOM through `textContent`
 * only.
 */
export const SCRIPT = `
(function(){
var data=document.getElementById("rows");if(!data)return;
var all=JSON.parse(data.textContent),shown=all,ROW=26;
all.forEach(function(r){r.push((r[1]+" "+r[2]+" "+r[3]+" "+r[4]+" "+r[10]).toLowerCase())});
var view=document.getElementById("steps-view"),body=document.querySelector("#steps tbody");
var filter=document.getElementById("filter"),status=document.getElementById("status-filter"),count=document.getElementById("shown");
function cell(tr,text,cls){var td=document.createElement("td");if(cls)td.className=cls;td.textContent=text;tr.appendChild(td);return td}
function spacer(h){var tr=document.createElement("tr"),td=document.createElement("td");tr.className="spacer";td.colSpan=9;td.style.height=h+"px";tr.appendChild(td);return tr}
function draw(){var first=Math.max(0,Math.floor(view.scrollTop/ROW)-10),n=Math.ceil(view.clientHeight/ROW)+20;
var last=Math.min(shown.length,first+n),f=document.createDocumentFragment();
f.appendChild(spacer(first*ROW));
for(var i=first;i<last;i++){var r=shown[i],tr=document.createElement("tr");tr.id="r-"+(r[0]-1);tr.dataset.status=r[2];if(r[13])tr.className="crit";
cell(tr,String(r[0]));var name=cell(tr,"","name");
if(r[12]){var a=document.createElement("a");a.href="#d-"+(r[0]-1);a.textContent=r[1];name.appendChild(a)}else name.textContent=r[1];
if(r[11])r[11].split(" ").forEach(function(m){var s=document.createElement("span");s.className="mark";s.textContent=m;name.appendChild(s)});
var st=cell(tr,"");var b=document.createElement("span");b.className="badge s-"+r[2];b.textContent=r[2];st.appendChild(b);
cell(tr,r[3]);cell(tr,r[4]);cell(tr,r[6]);cell(tr,r[8]);cell(tr,String(r[9]));cell(tr,r[10],"mono");f.appendChild(tr)}
f.appendChild(spacer((shown.length-last)*ROW));body.replaceChildren(f)}
var queued=false;view.addEventListener("scroll",function(){if(!queued){queued=true;requestAnimationFrame(function(){queued=false;draw()})}});
function apply(){var q=filter.value.trim().toLowerCase(),st=status.value;
shown=all.filter(function(r){return(!st||r[2]===st)&&(!q||r[14].indexOf(q)>=0)});
count.textContent=String(shown.length);view.scrollTop=0;draw()}
filter.addEventListener("input",apply);status.addEventListener("change",apply);
var KEY=[0,1,2,3,4,5,7,9,10],heads=document.querySelectorAll("#steps th");
Array.prototype.forEach.call(heads,function(th,col){th.addEventListener("click",function(){
var dir=th.getAttribute("aria-sort")==="ascending"?-1:1,k=KEY[col];
Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort")});
th.setAttribute("aria-sort",dir===1?"ascending":"descending");
var key=function(r){var v=r[k];return typeof v==="string"?v.toLowerCase():v};
all.sort(function(a,b){var x=key(a),y=key(b);return x<y?-dir:x>y?dir:a[0]-b[0]});apply()})});
function open(id){var d=document.getElementById("d-"+id);if(d){d.open=true;d.scrollIntoView({block:"center"});return}
filter.value="";status.value="";apply();var at=shown.findIndex(function(r){return r[0]-1===Number(id)});
if(at>=0){view.scrollIntoView({block:"center"});view.scrollTop=Math.max(0,at*ROW-view.clientHeight/2);draw()}}
document.addEventListener("click",function(e){var g=e.target.closest&&e.target.closest("svg [data-i]");if(g)open(g.dataset.i)});
draw()})();
`;
